# Cross build for mips-linux-gnu: Debian's gcc-mips-linux-gnu, g++-mips-linux-gnu and libc6-dev-mips-cross.
# The programs built here run on this machine under qemu-mips through
# CMAKE_CROSSCOMPILING_EMULATOR, with the target's libraries from /usr/mips-linux-gnu.
#   cmake -S . -B build/cross/mips-linux-gnu -DCMAKE_TOOLCHAIN_FILE=cmake/toolchains/mips-linux-gnu.cmake -DELFMOD_BUILD_TESTS=OFF
set(CMAKE_SYSTEM_NAME Linux)
set(CMAKE_SYSTEM_PROCESSOR mips)

set(CMAKE_C_COMPILER mips-linux-gnu-gcc)
set(CMAKE_CXX_COMPILER mips-linux-gnu-g++)

set(CMAKE_FIND_ROOT_PATH /usr/mips-linux-gnu)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_PACKAGE ONLY)

set(CMAKE_CROSSCOMPILING_EMULATOR qemu-mips -L /usr/mips-linux-gnu)
