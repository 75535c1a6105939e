# cdnlab_library(<name> <folder> DEPS ...): a static library of every .cc/.c below <folder>
# (files ending in _main.cc or _fuzz.cc and the folder bench/micro are left out: they have mains;
# native plugins, *_plugin.c, are left out too: each is its own MODULE library;
# node_modules/ folders of npm-driven benchmarks hold third-party C++ that is not ours).
# Includes are rooted at the repository: #include "common/http/server.h".
# A folder with no sources yet becomes an INTERFACE library so that dependents still configure.
function(cdnlab_library name dir)
  cmake_parse_arguments(A "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${dir}/*.cc ${CMAKE_SOURCE_DIR}/${dir}/*.c)
  list(FILTER srcs EXCLUDE REGEX "_main\\.cc$|/micro/|_fuzz\\.cc$|_plugin\\.c$|/node_modules/")
  if(srcs)
    add_library(${name} STATIC ${srcs})
    target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
    target_link_libraries(${name} PUBLIC ${A_DEPS})
  else()
    add_library(${name} INTERFACE)
    target_include_directories(${name} INTERFACE ${CMAKE_SOURCE_DIR})
    target_link_libraries(${name} INTERFACE ${A_DEPS})
  endif()
endfunction()
