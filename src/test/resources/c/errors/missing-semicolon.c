// SPDX-License-Identifier: GPL-2.0-only
#include <linux/module.h>

static int demo_value;

static int demo_init(void)
{
	demo_value = 41;
	return demo_value + 1
}

module_init(demo_init);
MODULE_LICENSE("GPL");
