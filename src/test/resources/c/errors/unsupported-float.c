// SPDX-License-Identifier: GPL-2.0-only
#include <linux/module.h>
#include <linux/kernel.h>

static int demo_init(void)
{
	/* the kernel builds modules without floating point: klpsim runs none */
	double ratio = 0.5;
	return 0;
}

module_init(demo_init);
MODULE_LICENSE("GPL");
