# cdnlab_library(<name> <folder> DEPS ...): a static library of every .cc/.c below <folder>
# (excluding files that end in _main.cc). Includes are rooted at the repository: "common/http/server.h".
function(cdnlab_library name dir)
  cmake_parse_arguments(A "" "" "DEPS" ${ARGN})
  file(GLOB_RECURSE srcs CONFIGURE_DEPENDS ${CMAKE_SOURCE_DIR}/${dir}/*.cc ${CMAKE_SOURCE_DIR}/${dir}/*.c)
  list(FILTER srcs EXCLUDE REGEX "_main\\.cc$|/micro/|_fuzz\\.cc$")
  add_library(${name} STATIC ${srcs})
  target_include_directories(${name} PUBLIC ${CMAKE_SOURCE_DIR})
  target_link_libraries(${name} PUBLIC ${A_DEPS})
endfunction()
