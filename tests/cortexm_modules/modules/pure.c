/* Built with -mpure-code: no literal pools in code, so addresses are built with
 * MOVW/MOVT (R_ARM_THM_MOVW_ABS_NC / R_ARM_THM_MOVT_ABS) on ARMv7-M. */
#include "fw_api.h"

int pure_run(int x);
const char *pure_msg(void);

static const char msg[] = "pure: execute-only code, no literal pools\n";
int pure_value = 99;

int pure_run(int x)
{
	fw_print(msg);
	return x + pure_value + (int)sizeof(msg);
}

const char *pure_msg(void)
{
	return msg;
}
