# llhttp from Debian's node-llhttp package (C sources + header), built as a static library.
find_path(LLHTTP_SRC_DIR llhttp.c
  PATHS /usr/share/llhttp ${CMAKE_SOURCE_DIR}/.deps/llhttp/usr/share/llhttp NO_DEFAULT_PATH)
find_path(LLHTTP_INCLUDE_DIR llhttp.h
  PATHS /usr/share/include/llhttp ${CMAKE_SOURCE_DIR}/.deps/llhttp/usr/share/include/llhttp NO_DEFAULT_PATH)
if(NOT LLHTTP_SRC_DIR OR NOT LLHTTP_INCLUDE_DIR)
  message(FATAL_ERROR "llhttp sources not found: run scripts/setup.sh (Debian package node-llhttp)")
endif()
add_library(llhttp STATIC ${LLHTTP_SRC_DIR}/llhttp.c ${LLHTTP_SRC_DIR}/api.c ${LLHTTP_SRC_DIR}/http.c)
target_include_directories(llhttp SYSTEM PUBLIC ${LLHTTP_INCLUDE_DIR})
set_target_properties(llhttp PROPERTIES C_STANDARD 99 POSITION_INDEPENDENT_CODE ON)
target_compile_options(llhttp PRIVATE -w)
