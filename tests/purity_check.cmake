# cmake -DARCHIVE=<lib.a> -DNM=<nm> -P purity_check.cmake: fails when the archive of a pure core
# needs a libuv or llhttp symbol (an undefined uv_* / llhttp_* name, mangled or not).
execute_process(COMMAND ${NM} --undefined-only ${ARCHIVE} OUTPUT_VARIABLE out RESULT_VARIABLE rc)
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "nm failed on ${ARCHIVE}")
endif()
string(REGEX MATCHALL "[^\n]*(uv_[a-z_]+|llhttp_[a-z_]+)[^\n]*" bad "${out}")
if(bad)
  list(JOIN bad "\n" lines)
  message(FATAL_ERROR "${ARCHIVE} references libuv / llhttp:\n${lines}")
endif()
message(STATUS "${ARCHIVE}: no libuv / llhttp symbol")
