# Helpers shared by every test directory.

# elfmod_host_test(NAME SOURCES... | [PROGRAM prog] SOURCES src... [ARGS arg...]
#                  [DEPENDS target...] [LIBS lib...] [OPTIONS flag...] [TIMEOUT s]):
# a C test program built twice, against the library plainly and under ASan+UBSan,
# registered as NAME and NAME_asan. PROGRAM names the executables when they differ from
# the test (one program may serve several tests: it is built once). In ARGS, the word
# ELFMOD_CLI stands for the `elfmod` tool of the same variant.
function(elfmod_host_test name)
  cmake_parse_arguments(A "" "PROGRAM;TIMEOUT" "SOURCES;ARGS;DEPENDS;LIBS;OPTIONS" ${ARGN})
  if(NOT A_SOURCES)
    set(A_SOURCES ${A_UNPARSED_ARGUMENTS})
  endif()
  if(NOT A_PROGRAM)
    set(A_PROGRAM ${name})
  endif()
  foreach(variant "" "_asan")
    set(lib elfmod_lib)
    set(cli elfmod)
    if(variant STREQUAL "_asan")
      set(lib elfmod_lib_asan)
      set(cli elfmod_asan)
    endif()
    set(prog ${A_PROGRAM}${variant})
    if(NOT TARGET ${prog})
      add_executable(${prog} ${A_SOURCES})
      target_link_libraries(${prog} PRIVATE ${lib} ${A_LIBS})
      target_include_directories(${prog} PRIVATE ${PROJECT_SOURCE_DIR}/src
                                 ${PROJECT_SOURCE_DIR}/tests/common ${PROJECT_SOURCE_DIR}/tools)
      target_compile_options(${prog} PRIVATE ${ELFMOD_WARNINGS} ${A_OPTIONS})
      if(A_DEPENDS)
        add_dependencies(${prog} ${A_DEPENDS})
      endif()
    endif()
    string(REPLACE "ELFMOD_CLI" "$<TARGET_FILE:${cli}>" args "${A_ARGS}")
    add_test(NAME ${name}${variant} COMMAND ${prog} ${args})
    if(A_TIMEOUT)
      set_tests_properties(${name}${variant} PROPERTIES TIMEOUT ${A_TIMEOUT})
    endif()
  endforeach()
endfunction()

# elfmod_cross_test(NAME TOOLS tool... COMMAND cmd...): a test that needs cross tools.
# A missing tool fails the test loudly, unless ELFMOD_SKIP_CROSS=1 is set in the
# environment, in which case it is reported by ctest as skipped.
set(ELFMOD_SKIP_RC 77)
function(elfmod_cross_test name)
  cmake_parse_arguments(A "" "WORKING_DIRECTORY;TIMEOUT" "TOOLS;COMMAND" ${ARGN})
  set(missing "")
  foreach(tool ${A_TOOLS})
    find_program(_tool_${tool} ${tool})
    if(NOT _tool_${tool})
      list(APPEND missing ${tool})
    endif()
  endforeach()
  if(missing)
    add_test(NAME ${name} COMMAND sh ${PROJECT_SOURCE_DIR}/tests/cmake/missing_tool.sh ${missing})
    set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE ${ELFMOD_SKIP_RC})
  else()
    if(NOT A_WORKING_DIRECTORY)
      set(A_WORKING_DIRECTORY ${CMAKE_CURRENT_BINARY_DIR})
    endif()
    add_test(NAME ${name} COMMAND ${A_COMMAND} WORKING_DIRECTORY ${A_WORKING_DIRECTORY})
    set_tests_properties(${name} PROPERTIES SKIP_RETURN_CODE ${ELFMOD_SKIP_RC})
  endif()
  if(A_TIMEOUT)
    set_tests_properties(${name} PROPERTIES TIMEOUT ${A_TIMEOUT})
  endif()
endfunction()
