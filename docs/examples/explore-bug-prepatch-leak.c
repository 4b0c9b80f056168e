// SPDX-License-Identifier: GPL-2.0-only
/*
 * PLANTED BUG (for klp explore): the C twin of explore-bug-prepatch-leak.jsh. A patch of two
 * objects, vmlinux and the target module test_klp_callbacks_mod. vmlinux's pre_patch
 * allocates a shadow variable; the author frees it in the *module's* post_unpatch. When the
 * module object's pre_patch fails (mod_pre_patch_ret, which explore also loads as -19), the
 * kernel runs post_unpatch only for the objects whose pre_patch succeeded, vmlinux's, which
 * has none: the variable leaks.
 *   klpsim explore --depth 3 docs/examples/explore-bug-prepatch-leak.c test_klp_callbacks_mod
 * The fix: free in vmlinux's post_unpatch, the callback paired with the pre_patch that allocated.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include <linux/kernel.h>
#include <linux/livepatch.h>
#include <linux/sched.h>

#define SV_TABLE 0x20

static int mod_pre_patch_ret;
module_param(mod_pre_patch_ret, int, 0644);
MODULE_PARM_DESC(mod_pre_patch_ret, "what the module object's pre_patch returns");
/* klpsim: klp explore loads the module with this value too */
KLPSIM_EXPLORE_PARAM(mod_pre_patch_ret, "-19");

static int vmlinux_pre_patch(struct klp_object *obj)
{
	pr_info("vmlinux: allocating the lookup table\n");
	if (!klp_shadow_get_or_alloc(&init_task, SV_TABLE, 64, GFP_KERNEL, NULL, NULL))
		return -ENOMEM;
	return 0;
}

static int mod_pre_patch(struct klp_object *obj)
{
	pr_info("test_klp_callbacks_mod: pre_patch returns %d\n", mod_pre_patch_ret);
	return mod_pre_patch_ret;
}

/* the bug: this frees what vmlinux's pre_patch allocated, and runs only if this object's pre_patch succeeded */
static void mod_post_unpatch(struct klp_object *obj)
{
	pr_info("test_klp_callbacks_mod: freeing the lookup table\n");
	klp_shadow_free(&init_task, SV_TABLE, NULL);
}

static struct klp_func no_funcs[] = {
	{ }
};

static struct klp_object objs[] = {
	{
		.name = NULL,	/* vmlinux */
		.funcs = no_funcs,
		.callbacks = {
			.pre_patch = vmlinux_pre_patch,
		},
	}, {
		.name = "test_klp_callbacks_mod",
		.funcs = no_funcs,
		.callbacks = {
			.pre_patch = mod_pre_patch,
			.post_unpatch = mod_post_unpatch,
		},
	}, { }
};

static struct klp_patch patch = {
	.mod = THIS_MODULE,
	.objs = objs,
};

static int explore_bug_prepatch_leak_init(void)
{
	return klp_enable_patch(&patch);
}

static void explore_bug_prepatch_leak_exit(void)
{
}

module_init(explore_bug_prepatch_leak_init);
module_exit(explore_bug_prepatch_leak_exit);
MODULE_LICENSE("GPL");
MODULE_INFO(livepatch, "Y");
MODULE_DESCRIPTION("klpsim example: a pre_patch that leaks when another object's pre_patch fails (planted bug)");
