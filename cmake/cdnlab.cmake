# cdnlab_library(<name> <folder> [SKIP <regex>...] [ONLY <regex>...] [ALSO <glob>...] DEPS ...): a static library
# of every .cc/.c below <folder> (files ending in _main.cc or _fuzz.cc and the folder bench/micro
# are left out: they have mains; native plugins, *_plugin.c, are left out too: each is its own
# MODULE library; node_modules/ folders of npm-driven benchmarks hold third-party C++ that is not
# ours). SKIP drops the files whose path matches one of the regexes, ONLY keeps
# just those that match: this is how a folder splits into a pure core and its I/O driver (e.g.
# edge/cache as cdnlab_cache, the rest of edge/ as cdnlab_edge). ALSO adds the files matching
# globs relative to the repository (after SKIP / ONLY).
# Includes are rooted at the repository: #include "common/http/server.h".
# A folder with no sources yet becomes an INTERFACE library so that dependents still configure.
function(cdnlab_library name dir)
  cmake_parse_arguments(A "" "" "DEPS;SKIP;ONLY;ALSO" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${dir}/*.cc ${CMAKE_SOURCE_DIR}/${dir}/*.c)
  list(FILTER srcs EXCLUDE REGEX "_main\\.cc$|/micro/|_fuzz\\.cc$|_plugin\\.c$|/node_modules/")
  foreach(re ${A_SKIP})
    list(FILTER srcs EXCLUDE REGEX "${re}")
  endforeach()
  if(A_ONLY)
    list(JOIN A_ONLY "|" only)
    list(FILTER srcs INCLUDE REGEX "${only}")
  endif()
  foreach(g ${A_ALSO})
    file(GLOB also CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${g})
    list(APPEND srcs ${also})
  endforeach()
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

# cdnlab_assert_pure(<target>...): fails the configure step when a pure core (cache, PoP core,
# PoP selection, latency model, simulator) reaches libuv, llhttp or a server library through its
# link graph. tests/purity_check.cmake checks the built archives' symbols as well.
set(CDNLAB_IMPURE_TARGETS PkgConfig::LIBUV llhttp llhttp_static cdnlab_common cdnlab_edge cdnlab_geo
    cdnlab_gateway cdnlab_lambda cdnlab_origin cdnlab_bench)
function(_cdnlab_walk_links target out)
  set(seen ${${out}})
  if(NOT TARGET ${target})
    return()
  endif()
  get_target_property(type ${target} TYPE)
  set(libs "")
  if(NOT type STREQUAL "INTERFACE_LIBRARY")
    get_target_property(l ${target} LINK_LIBRARIES)
    if(l)
      list(APPEND libs ${l})
    endif()
  endif()
  get_target_property(il ${target} INTERFACE_LINK_LIBRARIES)
  if(il)
    list(APPEND libs ${il})
  endif()
  foreach(lib ${libs})
    if(NOT lib IN_LIST seen)
      list(APPEND seen ${lib})
      set(${out} ${seen})
      _cdnlab_walk_links(${lib} ${out})
      set(seen ${${out}})
    endif()
  endforeach()
  set(${out} ${seen} PARENT_SCOPE)
endfunction()
function(cdnlab_assert_pure)
  foreach(t ${ARGN})
    set(reached "")
    _cdnlab_walk_links(${t} reached)
    foreach(bad ${CDNLAB_IMPURE_TARGETS})
      if(bad IN_LIST reached)
        message(FATAL_ERROR "${t} is a pure core but links ${bad} (it must not reach libuv, llhttp or a server)")
      endif()
    endforeach()
  endforeach()
endfunction()
