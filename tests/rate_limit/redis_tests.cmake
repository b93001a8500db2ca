# The Redis parts of the rate-limit suite, included from CMakeLists.txt in this folder. Both need
# a Redis (CROW_TEST_REDIS_URL, from tests/support/redis.sh) and skip without one unless
# CROW_REQUIRE_REDIS=1; the two-instance test also needs PostgreSQL (CROW_TEST_POSTGRES_URL).

# The store on its own against the real server (crow_rate_limit_objects: plugins/rate-limit).
crow_add_test(rate_limit_redis_store_test
  SOURCES redis_store_test.cpp
  LIBRARIES crow_rate_limit_objects crow::sdk Poco::Redis Poco::Net
  TIMEOUT 120 LABELS rate-limit redis)
# It freezes the shared Redis (redis.sh pause) and drops its clients: nothing else may use it meanwhile.
set_tests_properties(rate_limit_redis_store_test PROPERTIES RUN_SERIAL TRUE)

# Two `crow-auth serve` processes on one PostgreSQL database and one Redis: a limit is global with
# store redis or database, per instance with store memory.
crow_add_test(rate_limit_two_instance_test
  SOURCES two_instance_test.cpp
  LIBRARIES crow_test_served Poco::Net
  TIMEOUT 240 LABELS rate-limit redis e2e)
foreach(target crow-auth crow-backend-postgresql crow-plugin-rate-limit)
  if(TARGET ${target})
    add_dependencies(rate_limit_two_instance_test ${target})
  endif()
endforeach()
