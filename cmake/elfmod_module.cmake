# elfmod_add_module(NAME SOURCES src.c... [TYPE relocatable|shared|packed]
#                   [EXPORTS firmware.elf|exports.c...] [DEPS module...]
#                   [OPTIONS compile-option...] [INCLUDE_DIRECTORIES dir...]
#                   [LINK_OPTIONS option...] [LONG_CALLS] [NOSTDLIB] [ARCH arch]
#                   [PACK_OPTIONS option...])
#
# Builds a module for the architecture of the project's C compiler with the flags
# docs/module-guide.md gives for it. NAME becomes a target (in ALL) whose property
# ELFMOD_MODULE_FILE is the module's path in the current binary directory:
#   relocatable  NAME.o    the sources compiled with -c; several are combined into one
#                          object with the compiler driver's `-r -nostdlib` (ld -r)
#   shared       NAME.so   -fPIC -shared (NOSTDLIB: also -nostdlib, no C runtime files)
#   packed       NAME.emod a relocatable module (built -fPIC, as the packer needs)
#                          turned into the tiny loader's format by `elfmod pack`
# Flags per architecture, all types: -fno-common. Relocatable and packed:
#   x86-64   -fPIC       host data (stdout, errno) is reached through the GOT wherever the
#                        module lands; -fPIE code would need the host within 2 GiB
#   ARM      -mlong-calls   only with LONG_CALLS (the loader's stubs already reach a
#                        firmware far away); packed: -mword-relocations (addresses as
#                        literal words, not MOVW/MOVT pairs the tiny loader cannot patch)
#   RISC-V   -mno-relax  (every type) no R_RISCV_ALIGN padding that only a relaxing linker
#                        makes right
#   Xtensa   -mlongcalls CALL0 cannot reach a firmware in flash
#   MIPS     -G0 when OPTIONS has -mno-abicalls (non-PIC code does not set gp)
# ARCH overrides the architecture taken from CMAKE_C_COMPILER_TARGET or the compiler's
# -dumpmachine (x86_64, i386, arm, aarch64, riscv, xtensa, mips).
#
# EXPORTS: after building, `elfmod check MODULE --exports ...` (with --dep for each of DEPS,
# modules loaded before this one; DEPS is used only with EXPORTS) must
# succeed or the build fails with its report: an import the firmware does not export, a
# relocation type elfmod does not apply, another machine or float ABI. Relative paths are
# taken from the current source directory; generator expressions ($<TARGET_FILE:fw>) work.
# The `elfmod` tool is ELFMOD_EXECUTABLE (set by find_package(elfmod)).

function(_elfmod_module_arch out)
  if(CMAKE_C_COMPILER_TARGET)
    set(triple ${CMAKE_C_COMPILER_TARGET})
  else()
    if(NOT DEFINED ELFMOD_C_DUMPMACHINE)
      execute_process(COMMAND ${CMAKE_C_COMPILER} -dumpmachine
                      OUTPUT_VARIABLE dm OUTPUT_STRIP_TRAILING_WHITESPACE
                      RESULT_VARIABLE rc ERROR_QUIET)
      if(NOT rc EQUAL 0)
        set(dm "${CMAKE_SYSTEM_PROCESSOR}")
      endif()
      set(ELFMOD_C_DUMPMACHINE "${dm}" CACHE INTERNAL "target triple of the C compiler")
    endif()
    set(triple ${ELFMOD_C_DUMPMACHINE})
  endif()
  string(TOLOWER "${triple}" triple)
  if(triple MATCHES "^(x86_64|amd64)")
    set(arch x86_64)
  elseif(triple MATCHES "^i[3-6]86")
    set(arch i386)
  elseif(triple MATCHES "^(aarch64|arm64)")
    set(arch aarch64)
  elseif(triple MATCHES "^(arm|thumb)")
    set(arch arm)
  elseif(triple MATCHES "^riscv")
    set(arch riscv)
  elseif(triple MATCHES "^xtensa")
    set(arch xtensa)
  elseif(triple MATCHES "^mips")
    set(arch mips)
  else()
    message(FATAL_ERROR "elfmod_add_module: cannot tell the architecture of ${CMAKE_C_COMPILER} "
                        "(\"${triple}\"): give ARCH")
  endif()
  set(${out} ${arch} PARENT_SCOPE)
endfunction()

function(elfmod_add_module name)
  cmake_parse_arguments(A "LONG_CALLS;NOSTDLIB" "TYPE;ARCH"
    "SOURCES;EXPORTS;DEPS;OPTIONS;INCLUDE_DIRECTORIES;LINK_OPTIONS;PACK_OPTIONS" ${ARGN})
  if(A_UNPARSED_ARGUMENTS)
    message(FATAL_ERROR "elfmod_add_module(${name}): unknown arguments: ${A_UNPARSED_ARGUMENTS}")
  endif()
  if(NOT A_SOURCES)
    message(FATAL_ERROR "elfmod_add_module(${name}): no SOURCES")
  endif()
  if(NOT A_TYPE)
    set(A_TYPE relocatable)
  endif()
  if(NOT A_TYPE MATCHES "^(relocatable|shared|packed)$")
    message(FATAL_ERROR "elfmod_add_module(${name}): TYPE is relocatable, shared or packed, "
                        "not \"${A_TYPE}\"")
  endif()
  if(A_ARCH)
    set(arch ${A_ARCH})
  else()
    _elfmod_module_arch(arch)
  endif()
  if((A_EXPORTS OR A_TYPE STREQUAL "packed") AND NOT ELFMOD_EXECUTABLE)
    message(FATAL_ERROR "elfmod_add_module(${name}): ELFMOD_EXECUTABLE (the elfmod tool) is not set")
  endif()

  set(flags -fno-common)
  if(NOT A_TYPE STREQUAL "shared")
    if(arch STREQUAL "x86_64" OR A_TYPE STREQUAL "packed")
      list(APPEND flags -fPIC)
    endif()
    if(arch STREQUAL "arm" AND A_LONG_CALLS)
      list(APPEND flags -mlong-calls)
    endif()
    if(arch STREQUAL "arm" AND A_TYPE STREQUAL "packed")
      list(APPEND flags -mword-relocations)
    endif()
    if(arch STREQUAL "xtensa")
      list(APPEND flags -mlongcalls)
    endif()
    if(arch STREQUAL "mips" AND "-mno-abicalls" IN_LIST A_OPTIONS)
      list(APPEND flags -G0)
    endif()
  endif()
  if(arch STREQUAL "riscv")
    list(APPEND flags -mno-relax)
  endif()

  set(dir ${CMAKE_CURRENT_BINARY_DIR})
  if(A_TYPE STREQUAL "shared")
    set(built ${dir}/${name}.so)
    add_library(${name}_elf SHARED ${A_SOURCES})
    set_target_properties(${name}_elf PROPERTIES OUTPUT_NAME ${name} PREFIX "" SUFFIX ".so"
                          LIBRARY_OUTPUT_DIRECTORY ${dir} POSITION_INDEPENDENT_CODE ON)
    target_link_options(${name}_elf PRIVATE ${A_LINK_OPTIONS})
    if(A_NOSTDLIB)
      target_link_options(${name}_elf PRIVATE -nostdlib)
    endif()
    set(built_dep ${name}_elf)
  else()
    add_library(${name}_objs OBJECT ${A_SOURCES})
    set(built ${dir}/${name}.o)
    list(LENGTH A_SOURCES nsrc)
    if(nsrc EQUAL 1)
      # One object is the module as the compiler wrote it.
      set(combine ${CMAKE_COMMAND} -E copy $<TARGET_OBJECTS:${name}_objs> ${built})
    else()
      # The driver needs the target options (-march/-mabi, -mcpu, -m32) to pick the
      # linker emulation for these objects.
      separate_arguments(cflags UNIX_COMMAND "${CMAKE_C_FLAGS}")
      set(combine ${CMAKE_C_COMPILER} ${cflags} ${flags} ${A_OPTIONS} -r -nostdlib
                  ${A_LINK_OPTIONS} -o ${built} $<TARGET_OBJECTS:${name}_objs>)
    endif()
    add_custom_command(OUTPUT ${built} COMMAND ${combine}
      DEPENDS ${name}_objs $<TARGET_OBJECTS:${name}_objs>
      COMMAND_EXPAND_LISTS VERBATIM
      COMMENT "elfmod module ${name}.o")
    set(built_dep ${built})
    set_property(DIRECTORY APPEND PROPERTY ADDITIONAL_CLEAN_FILES ${built})
  endif()
  set(src_target ${name}_objs)
  if(A_TYPE STREQUAL "shared")
    set(src_target ${name}_elf)
  endif()
  target_compile_options(${src_target} PRIVATE ${flags} ${A_OPTIONS})
  target_include_directories(${src_target} PRIVATE ${A_INCLUDE_DIRECTORIES})
  if(ELFMOD_INCLUDE_DIR)
    # Modules may use elfmod.h's module macros (ELFMOD_MODULE_EXPORT, ELFMOD_MODULE_ABI).
    target_include_directories(${src_target} PRIVATE ${ELFMOD_INCLUDE_DIR})
  endif()

  set(outputs ${built})
  if(A_EXPORTS)
    set(check_args)
    foreach(e ${A_EXPORTS})
      if(NOT e MATCHES "^\\$<" AND NOT IS_ABSOLUTE "${e}")
        set(e ${CMAKE_CURRENT_SOURCE_DIR}/${e})
      endif()
      list(APPEND check_args --exports ${e})
    endforeach()
    foreach(d ${A_DEPS})
      if(NOT d MATCHES "^\\$<" AND NOT IS_ABSOLUTE "${d}")
        set(d ${CMAKE_CURRENT_SOURCE_DIR}/${d})
      endif()
      list(APPEND check_args --dep ${d})
    endforeach()
    # A stamp, not the module, records a passed check: a failed one runs again next time.
    set(stamp ${dir}/${name}.checked)
    string(REGEX REPLACE "\\$<TARGET_FILE:([^>]+)>" "\\1" check_deps "${A_EXPORTS};${A_DEPS}")
    add_custom_command(OUTPUT ${stamp}
      COMMAND ${ELFMOD_EXECUTABLE} check ${built} ${check_args}
      COMMAND ${CMAKE_COMMAND} -E touch ${stamp}
      DEPENDS ${built_dep} ${check_deps}
      VERBATIM
      COMMENT "elfmod check ${name} against its firmware's exports")
    list(APPEND outputs ${stamp})
  endif()
  if(A_TYPE STREQUAL "packed")
    set(packed ${dir}/${name}.emod)
    add_custom_command(OUTPUT ${packed}
      COMMAND ${ELFMOD_EXECUTABLE} pack ${built} ${A_PACK_OPTIONS} -o ${packed}
      DEPENDS ${built}
      VERBATIM
      COMMENT "elfmod pack ${name}.emod")
    list(APPEND outputs ${packed})
    set(file ${packed})
  else()
    set(file ${built})
  endif()
  add_custom_target(${name} ALL DEPENDS ${outputs})
  if(A_TYPE STREQUAL "shared")
    add_dependencies(${name} ${name}_elf)
  endif()
  set_target_properties(${name} PROPERTIES ELFMOD_MODULE_FILE ${file} ELFMOD_MODULE_TYPE ${A_TYPE})
endfunction()
