// SPDX-License-Identifier: GPL-2.0-only
/*
 * The C twin of klp-cumulative-v1.jsh: a cumulative series, version 1. It keeps a request
 * counter for /proc/cmdline in a shadow variable attached to init_task (an object of vmlinux
 * every version sees), and declares system state 1 (the counter) so that newer versions
 * take it over instead of starting again.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#define COUNTER_STATE 1
#define SV_COUNTER 0x10

static int cumulative_cmdline_proc_show(struct seq_file *m, void *v)
{
	long *counter = klp_shadow_get(&init_task, SV_COUNTER);

	seq_printf(m, "cumulative v1: request %ld\n", counter ? ++*counter : 0);
	return 0;
}

static int pre_patch(struct klp_object *obj)
{
	struct klp_state *prev = klp_get_prev_state(COUNTER_STATE);

	if (prev) {
		pr_info("taking over the request counter (state version %u)\n", prev->version);
		return 0;
	}
	pr_info("allocating the request counter\n");
	if (!klp_shadow_get_or_alloc(&init_task, SV_COUNTER, 8, GFP_KERNEL, NULL, NULL))
		return -ENOMEM;
	return 0;
}

static void post_unpatch(struct klp_object *obj)
{
	if (klp_get_prev_state(COUNTER_STATE)) {
		pr_info("leaving the request counter to the patch being restored\n");
		return;
	}
	pr_info("freeing the request counter\n");
	klp_shadow_free(&init_task, SV_COUNTER, NULL);
}

static struct klp_func funcs[] = {
	{
		.old_name = "cmdline_proc_show",
		.new_func = cumulative_cmdline_proc_show,
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

static struct klp_state states[] = {
	{
		.id = COUNTER_STATE,
		.version = 1,
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
	.states = states,
	.replace = true,
};

/* klpsim: what klp explore checks after every step while this module is loaded */
static bool counter_exists_while_enabled(void)
{
	return !patch.enabled || klp_shadow_get(&init_task, SV_COUNTER);
}
KLPSIM_ASSERT("the request counter exists while this patch is enabled", counter_exists_while_enabled);

static int cumulative_init(void)
{
	return klp_enable_patch(&patch);
}

static void cumulative_exit(void)
{
}

module_init(cumulative_init);
module_exit(cumulative_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: cumulative patch v1");
