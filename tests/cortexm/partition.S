/* The application partition inside the bootloader's flash image. The including build
 * passes -Wa,-I<dir of the image> and defines PARTITION_IMAGE as its file name. */
	.section .partition, "a"
	.balign 4
	.global partition_start, partition_end
partition_start:
	.incbin PARTITION_IMAGE
partition_end:
