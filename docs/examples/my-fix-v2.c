// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C twin of my-fix-v2.jsh: shadow hand-over, version 2, an atomic replace of my-fix-v1.c:
 * it takes the request counter 0x42 over (klp_shadow_get_or_alloc finds it) and frees it in
 * post_unpatch.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define SV_REQUESTS 0x42

static int my_fix_v2_cmdline_proc_show(struct seq_file *m, void *v)
{
	long *n = klp_shadow_get(&init_task, SV_REQUESTS);

	seq_printf(m, "my_fix v2: request %ld\n", n ? ++*n : 0);
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	if (!klp_shadow_get_or_alloc(&init_task, SV_REQUESTS, 8, GFP_KERNEL, NULL, NULL))
		return -ENOMEM;
	return 0;
}

static void post_unpatch(struct klp_object *obj)
{
	klp_shadow_free(&init_task, SV_REQUESTS, NULL);
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = my_fix_v2_cmdline_proc_show,
	}, { }
};

static struct klp_object objs[] = {
	{
		.funcs = funcs,
		.callbacks = {
			.pre_patch = pre_patch,
			.post_unpatch = post_unpatch,
		},
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.replace = true,
};

static int my_fix_init(void)
{
	return klp_enable_patch(&patch);
}

static void my_fix_exit(void)
{
}

module_init(my_fix_init);
module_exit(my_fix_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: shadow hand-over, v2 (takes the counter over, frees it)");
