# Helpers shared by every test directory.

# elfmod_host_test(NAME SOURCES...): a C test program built twice, plainly and under
# ASan+UBSan, registered as NAME and NAME_asan.
function(elfmod_host_test name)
  foreach(variant "" "_asan")
    set(lib elfmod_lib)
    if(variant STREQUAL "_asan")
      set(lib elfmod_lib_asan)
    endif()
    add_executable(${name}${variant} ${ARGN})
    target_link_libraries(${name}${variant} PRIVATE ${lib})
    target_include_directories(${name}${variant} PRIVATE ${PROJECT_SOURCE_DIR}/src
                               ${PROJECT_SOURCE_DIR}/tests/common)
    target_compile_options(${name}${variant} PRIVATE ${ELFMOD_WARNINGS})
    add_test(NAME ${name}${variant} COMMAND ${name}${variant})
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
