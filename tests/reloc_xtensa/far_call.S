# A CALL0 to an import 3 MiB away: beyond CALL0's +-512 KiB, so elfmod link must refuse
# it with a message that names -mlongcalls.
	.text
	.align	4
	.global	f
f:
	call0	ext
	ret.n
