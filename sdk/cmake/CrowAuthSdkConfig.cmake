# find_package(CrowAuthSdk) for plugins built outside this tree: the imported target crow::sdk
# (headers + libcrow-sdk) and crow_add_plugin() from CrowPlugin.cmake.
include(CMakeFindDependencyMacro)
find_dependency(Poco COMPONENTS JSON Foundation)
include("${CMAKE_CURRENT_LIST_DIR}/CrowAuthSdkTargets.cmake")
include("${CMAKE_CURRENT_LIST_DIR}/CrowPlugin.cmake")
