// SPDX-License-Identifier: GPL-2.0-only
#include <linux/module.h>
#include <linux/livepatch.h>

static int demo_init(void)
{
	pr_info("calling a function nobody declared\n");
	return klp_enable_pach(NULL);
}

module_init(demo_init);
MODULE_LICENSE("GPL");
