# crow_add_plugin(<id> SOURCES ...) builds a plugin library the host can load:
#   - a MODULE library named <id>.so in the plugins folder of the build tree;
#   - hidden visibility, so only crow_plugin_entry is exported;
#   - linked against libcrow-sdk and nothing of the host (-Wl,--no-undefined proves it).
# crow_add_backend(<dialect> SOURCES ...) does the same for a database backend.
include(GNUInstallDirs)

function(_crow_add_library target output_name output_dir)
  cmake_parse_arguments(ARG "" "" "SOURCES;LIBRARIES" ${ARGN})
  add_library(${target} MODULE ${ARG_SOURCES})
  target_link_libraries(${target} PRIVATE crow::sdk ${ARG_LIBRARIES})
  set_target_properties(${target} PROPERTIES
    PREFIX ""
    OUTPUT_NAME ${output_name}
    LIBRARY_OUTPUT_DIRECTORY ${output_dir}
    CXX_VISIBILITY_PRESET hidden
    VISIBILITY_INLINES_HIDDEN ON)
  if(NOT CROW_SANITIZE)
    target_link_options(${target} PRIVATE -Wl,--no-undefined)
  endif()
endfunction()

function(crow_add_plugin id)
  if(NOT DEFINED CROW_PLUGIN_OUTPUT_DIR)
    set(CROW_PLUGIN_OUTPUT_DIR ${CMAKE_BINARY_DIR}/plugins)
  endif()
  _crow_add_library(crow-plugin-${id} ${id} ${CROW_PLUGIN_OUTPUT_DIR} ${ARGN})
  install(TARGETS crow-plugin-${id} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/crow-auth/plugins COMPONENT runtime)
endfunction()

function(crow_add_backend dialect)
  _crow_add_library(crow-backend-${dialect} ${dialect} ${CROW_BACKEND_OUTPUT_DIR} ${ARGN})
  install(TARGETS crow-backend-${dialect} LIBRARY DESTINATION ${CMAKE_INSTALL_LIBDIR}/crow-auth/backends COMPONENT runtime)
endfunction()
