/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * klpsim's declarations of the kernel API that livepatch modules in C may use: every
 * <linux/...> header a module includes resolves to this one file. What is declared here is
 * implemented by klpsim (dev.klpsim.c.KernelApi); the names, types and macros follow the
 * kernel's own headers (include/linux/livepatch.h, printk.h, list.h, ...).
 *
 * A struct member that is a plain name after its type is written with its name in
 * parentheses (`enum module_state (state);`, legal C declaring the same member): C.g4, which
 * has no typedef table, can read `state` as a typedef name there, and ANTLR's fast (SLL)
 * prediction then fails and the whole file is parsed again with full LL, several times
 * slower. Written this way, a module that defines no such struct of its own parses in one pass.
 */
#ifndef _KLPSIM_KERNEL_API_H
#define _KLPSIM_KERNEL_API_H

typedef _Bool bool;
#define true 1
#define false 0
#define NULL ((void *)0)

typedef unsigned char u8;
typedef unsigned short u16;
typedef unsigned int u32;
typedef unsigned long long u64;
typedef signed char s8;
typedef short s16;
typedef int s32;
typedef long long s64;
typedef unsigned long size_t;
typedef long ssize_t;
typedef long long loff_t;
typedef int pid_t;
typedef unsigned int gfp_t;
typedef unsigned short umode_t;

/* compiler attributes that change nothing in klpsim */
#define __init
#define __exit
#define __initdata
#define __user
#define __iomem
#define __rcu
#define __always_inline inline
#define noinline
#define notrace
#define __maybe_unused
#define __used
#define __weak
#define __cold
#define __printf(a, b)
#define __must_check
#define __kprobes
#define asm __asm__
#define asmlinkage
#define __stringify_1(x...) #x
#define __stringify(x...) __stringify_1(x)
#define likely(x) (x)
#define unlikely(x) (x)
#define READ_ONCE(x) (x)
#define WRITE_ONCE(x, val) ((x) = (val))
#define barrier()
#define smp_mb()
#define smp_rmb()
#define smp_wmb()
#define EXPORT_SYMBOL(sym)
#define EXPORT_SYMBOL_GPL(sym)
#define ARRAY_SIZE(arr) (sizeof(arr) / sizeof((arr)[0]))
#define offsetof(TYPE, MEMBER) __builtin_offsetof(TYPE, MEMBER)
/* klpsim's memory keeps the object a member pointer points into */
#define container_of(ptr, type, member) ((type *)__klpsim_container_of(ptr))
void *__klpsim_container_of(void *ptr);
#define min(a, b) ((a) < (b) ? (a) : (b))
#define max(a, b) ((a) > (b) ? (a) : (b))

/* errno */
#define EPERM 1
#define ENOENT 2
#define ESRCH 3
#define EINTR 4
#define EIO 5
#define ENXIO 6
#define E2BIG 7
#define ENOEXEC 8
#define EBADF 9
#define EAGAIN 11
#define ENOMEM 12
#define EACCES 13
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ENOSYS 38
#define ENOTSUPP 524

/* gfp */
#define GFP_KERNEL 0xcc0u
#define GFP_ATOMIC 0xa20u
#define GFP_NOWAIT 0x800u

/* printk */
#define KERN_SOH "\001"
#define KERN_EMERG KERN_SOH "0"
#define KERN_ALERT KERN_SOH "1"
#define KERN_CRIT KERN_SOH "2"
#define KERN_ERR KERN_SOH "3"
#define KERN_WARNING KERN_SOH "4"
#define KERN_NOTICE KERN_SOH "5"
#define KERN_INFO KERN_SOH "6"
#define KERN_DEBUG KERN_SOH "7"
#define KERN_DEFAULT ""
#define KERN_CONT KERN_SOH "c"
#ifndef pr_fmt
#define pr_fmt(fmt) fmt
#endif
int printk(const char *fmt, ...);
#define pr_emerg(fmt, ...) printk(KERN_EMERG pr_fmt(fmt), ##__VA_ARGS__)
#define pr_alert(fmt, ...) printk(KERN_ALERT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_crit(fmt, ...) printk(KERN_CRIT pr_fmt(fmt), ##__VA_ARGS__)
#define pr_err(fmt, ...) printk(KERN_ERR pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warn(fmt, ...) printk(KERN_WARNING pr_fmt(fmt), ##__VA_ARGS__)
#define pr_warning pr_warn
#define pr_notice(fmt, ...) printk(KERN_NOTICE pr_fmt(fmt), ##__VA_ARGS__)
#define pr_info(fmt, ...) printk(KERN_INFO pr_fmt(fmt), ##__VA_ARGS__)
#define pr_cont(fmt, ...) printk(KERN_CONT fmt, ##__VA_ARGS__)
#define pr_debug(fmt, ...) __klpsim_pr_debug(pr_fmt(fmt), ##__VA_ARGS__)
int __klpsim_pr_debug(const char *fmt, ...);
int sprintf(char *buf, const char *fmt, ...);
int snprintf(char *buf, size_t size, const char *fmt, ...);
int scnprintf(char *buf, size_t size, const char *fmt, ...);
void dump_stack(void);
#define WARN_ON(cond) (cond)
#define WARN_ON_ONCE(cond) (cond)
#define BUG_ON(cond) __klpsim_bug_on(cond)
void __klpsim_bug_on(int cond);

/* strings */
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
size_t strscpy(char *dst, const char *src, size_t n);
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);

/* modules */
enum module_state {
	MODULE_STATE_LIVE,
	MODULE_STATE_COMING,
	MODULE_STATE_GOING,
	MODULE_STATE_UNFORMED,
};
#define MODULE_NAME_LEN 56
struct module {
	enum module_state (state);
	char (name)[MODULE_NAME_LEN];
};
extern struct module __this_module;
#define THIS_MODULE (&__this_module)
struct __klpsim_modinfo { const char *tag; const char *value; };
struct __klpsim_initcall { void *fn; };
struct __klpsim_param { const char *name; const char *type; int (perm); void *var; };
#define __KLPSIM_PASTE2(a, b) a##b
#define __KLPSIM_PASTE(a, b) __KLPSIM_PASTE2(a, b)
#define __KLPSIM_ID(prefix) __KLPSIM_PASTE(prefix, __COUNTER__)
#define MODULE_INFO(tag, info) static const struct __klpsim_modinfo __KLPSIM_ID(__klpsim_modinfo_) = { #tag, info }
#define MODULE_LICENSE(l) MODULE_INFO(license, l)
#define MODULE_AUTHOR(a) MODULE_INFO(author, a)
#define MODULE_DESCRIPTION(d) MODULE_INFO(description, d)
#define MODULE_VERSION(v) MODULE_INFO(version, v)
#define MODULE_ALIAS(a) MODULE_INFO(alias, a)
#define MODULE_SOFTDEP(s) MODULE_INFO(softdep, s)
#define MODULE_IMPORT_NS(ns) MODULE_INFO(import_ns, #ns)
#define module_init(fn) static const struct __klpsim_initcall __klpsim_module_init = { fn };
#define module_exit(fn) static const struct __klpsim_initcall __klpsim_module_exit = { fn };
#define module_param_named(name, value, type, perm) static const struct __klpsim_param __KLPSIM_ID(__klpsim_param_) = { #name, #type, perm, &value }
#define module_param(name, type, perm) module_param_named(name, name, type, perm)
struct __klpsim_param_array { const char *name; const char *type; int (perm); void *var; unsigned int *nump; };
#define module_param_array_named(name, array, type, nump, perm) static const struct __klpsim_param_array __KLPSIM_ID(__klpsim_param_array_) = { #name, #type, perm, array, nump }
#define module_param_array(name, type, nump, perm) module_param_array_named(name, name, type, nump, perm)
/* klpsim only (no kernel has it): klp explore also loads the module with _parm=value (Param.explore) */
struct __klpsim_explore { const char *name; const char *value; };
#define KLPSIM_EXPLORE_PARAM(_parm, value) static const struct __klpsim_explore __KLPSIM_ID(__klpsim_explore_) = { #_parm, value }
/* klpsim only: an invariant klp explore checks after every step while the module is loaded
 * (ModuleBuilder.assertion): fn is a `bool fn(void)` that only looks */
struct __klpsim_assert { const char *what; void *fn; };
#define KLPSIM_ASSERT(what, fn) static const struct __klpsim_assert __KLPSIM_ID(__klpsim_assert_) = { what, fn }
#define MODULE_PARM_DESC(_parm, desc) MODULE_INFO(parm, #_parm ":" desc)
#define late_initcall(fn) module_init(fn)

/* lists */
struct list_head {
	struct list_head *next, *prev;
};
#define LIST_HEAD_INIT(name) { &(name), &(name) }
#define LIST_HEAD(name) struct list_head name = LIST_HEAD_INIT(name)
static inline void INIT_LIST_HEAD(struct list_head *list)
{
	list->next = list;
	list->prev = list;
}
static inline void __list_add(struct list_head *new, struct list_head *prev, struct list_head *next)
{
	next->prev = new;
	new->next = next;
	new->prev = prev;
	prev->next = new;
}
static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next);
}
static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, head->prev, head);
}
static inline void list_del(struct list_head *entry)
{
	entry->next->prev = entry->prev;
	entry->prev->next = entry->next;
	entry->next = NULL;
	entry->prev = NULL;
}
static inline int list_empty(const struct list_head *head)
{
	return head->next == head;
}
#define list_entry(ptr, type, member) container_of(ptr, type, member)
#define list_first_entry(ptr, type, member) list_entry((ptr)->next, type, member)
#define list_next_entry(pos, member) list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_for_each(pos, head) for (pos = (head)->next; pos != (head); pos = pos->next)
#define list_for_each_safe(pos, n, head) for (pos = (head)->next, n = pos->next; pos != (head); pos = n, n = pos->next)
#define list_for_each_entry(pos, head, member) \
	for (pos = __klpsim_container_of((head)->next); &pos->member != (head); pos = __klpsim_container_of(pos->member.next))
#define list_for_each_entry_safe(pos, n, head, member) \
	for (pos = __klpsim_container_of((head)->next), n = __klpsim_container_of(pos->member.next); &pos->member != (head); \
	     pos = n, n = __klpsim_container_of(n->member.next))

/* memory */
void *kmalloc(size_t size, gfp_t flags);
void *kzalloc(size_t size, gfp_t flags);
void *kcalloc(size_t n, size_t size, gfp_t flags);
void kfree(const void *p);

/* locks: one CPU runs module code at a time in klpsim, so they only have to exist */
struct mutex { int (locked); };
typedef struct { int (locked); } spinlock_t;
#define DEFINE_MUTEX(name) struct mutex name = { 0 }
#define DEFINE_SPINLOCK(name) spinlock_t name = { 0 }
#define mutex_init(m) ((void)(m))
#define mutex_lock(m) ((void)(m))
#define mutex_unlock(m) ((void)(m))
#define spin_lock_init(l) ((void)(l))
#define spin_lock(l) ((void)(l))
#define spin_unlock(l) ((void)(l))
#define spin_lock_irqsave(l, flags) ((void)(l), (flags) = 0)
#define spin_unlock_irqrestore(l, flags) ((void)(l), (void)(flags))

/* time */
extern unsigned long jiffies;
#define HZ 1000
unsigned long msecs_to_jiffies(unsigned int m);
unsigned long secs_to_jiffies(unsigned int s);
extern int console_loglevel;
#define CONSOLE_LOGLEVEL_SILENT 0
#define CONSOLE_LOGLEVEL_MIN 1
#define CONSOLE_LOGLEVEL_DEBUG 10
#define CONSOLE_LOGLEVEL_MOTORMOUTH 15
#define CONSOLE_LOGLEVEL_DEFAULT 7
#define CONSOLE_LOGLEVEL_QUIET 4
unsigned int jiffies_to_msecs(unsigned long j);
#define time_after(a, b) ((long)((b) - (a)) < 0)
#define time_before(a, b) time_after(b, a)
void msleep(unsigned int msecs);
void schedule(void);
void cond_resched(void);

/* sysfs: a directory under /sys/kernel with read-only attributes */
struct kobject;
extern struct kobject *kernel_kobj;
struct attribute { const char *name; umode_t (mode); };
struct kobj_attribute {
	struct attribute (attr);
	ssize_t (*show)(struct kobject *kobj, struct kobj_attribute *attr, char *buf);
	ssize_t (*store)(struct kobject *kobj, struct kobj_attribute *attr, const char *buf, size_t count);
};
#define __ATTR(_name, _mode, _show, _store) { .attr = { .name = #_name, .mode = _mode }, .show = _show, .store = _store }
#define __ATTR_RO(_name) { .attr = { .name = #_name, .mode = 0444 }, .show = _name##_show }
#define __ATTR_RW(_name) __ATTR(_name, 0644, _name##_show, _name##_store)
struct kobject *kobject_create_and_add(const char *name, struct kobject *parent);
int sysfs_create_file(struct kobject *kobj, const struct attribute *attr);
void kobject_put(struct kobject *kobj);
#define PAGE_SIZE 4096
#define NR_CPUS 8192

/* tasks */
struct task_struct {
	pid_t (pid);
	char (comm)[16];
};
extern struct task_struct *current;
/* an object of vmlinux every module sees (klpsim: the machine itself, as .jsh modules use k.machine()) */
extern struct task_struct init_task;
pid_t task_pid_nr(struct task_struct *t);
pid_t task_tgid_vnr(struct task_struct *t);

/* work */
struct work_struct { void *func; void *__klpsim_work; };
struct delayed_work { struct work_struct (work); };
typedef void (*work_func_t)(struct work_struct *work);
#define INIT_WORK(w, f) __klpsim_init_work((w), (f))
#define INIT_DELAYED_WORK(w, f) __klpsim_init_work(&(w)->work, (f))
#define DECLARE_WORK(n, f) struct work_struct n = { f, 0 }
#define DECLARE_DELAYED_WORK(n, f) struct delayed_work n = { { f, 0 } }
#define to_delayed_work(w) container_of(w, struct delayed_work, work)
void __klpsim_init_work(struct work_struct *w, void *fn);
bool schedule_work(struct work_struct *w);
bool schedule_delayed_work(struct delayed_work *w, unsigned long delay);
bool flush_work(struct work_struct *w);
bool cancel_work_sync(struct work_struct *w);
bool cancel_delayed_work_sync(struct delayed_work *w);
bool flush_delayed_work(struct delayed_work *w);

/* completions: a work item runs when it is scheduled, so a wait finds it completed */
struct completion { unsigned int (done); };
#define DECLARE_COMPLETION(x) struct completion x = { 0 }
#define init_completion(x) ((x)->done = 0)
static inline void complete(struct completion *x)
{
	x->done++;
}
void __klpsim_wait_for_completion(struct completion *x);
#define wait_for_completion(x) __klpsim_wait_for_completion(x)

/* seq_file, procfs */
struct seq_file { void *private; };
void seq_printf(struct seq_file *m, const char *fmt, ...);
void seq_puts(struct seq_file *m, const char *s);
struct proc_dir_entry;
struct proc_dir_entry *proc_create_single(const char *name, umode_t mode, struct proc_dir_entry *parent, int (*show)(struct seq_file *, void *));
void remove_proc_entry(const char *name, struct proc_dir_entry *parent);

/* kprobes */
struct pt_regs { unsigned long (ip); };
struct kprobe;
typedef int (*kprobe_pre_handler_t)(struct kprobe *, struct pt_regs *);
typedef void (*kprobe_post_handler_t)(struct kprobe *, struct pt_regs *, unsigned long flags);
struct kprobe {
	const char *symbol_name;
	kprobe_pre_handler_t (pre_handler);
	kprobe_post_handler_t (post_handler);
};
int register_kprobe(struct kprobe *p);
void unregister_kprobe(struct kprobe *p);

/* livepatch */
struct klp_object;
struct klp_func {
	const char *old_name;
	void *new_func;
	unsigned long (old_sympos);
};
typedef int (*klp_pre_patch_t)(struct klp_object *obj);
typedef void (*klp_post_patch_t)(struct klp_object *obj);
typedef void (*klp_pre_unpatch_t)(struct klp_object *obj);
typedef void (*klp_post_unpatch_t)(struct klp_object *obj);
struct klp_callbacks {
	int (*pre_patch)(struct klp_object *obj);
	void (*post_patch)(struct klp_object *obj);
	void (*pre_unpatch)(struct klp_object *obj);
	void (*post_unpatch)(struct klp_object *obj);
	bool (post_unpatch_enabled);
};
struct klp_object {
	const char *name;
	struct klp_func *funcs;
	struct klp_callbacks (callbacks);
	struct module *mod;
};
struct klp_state {
	unsigned long (id);
	unsigned int (version);
	void *data;
};
struct klp_patch {
	struct module *mod;
	struct klp_object *objs;
	struct klp_state *states;
	bool (replace);
	/* set by the kernel: whether the patch is enabled (klpsim reads the kernel's) */
	bool (enabled);
};
int klp_enable_patch(struct klp_patch *patch);
struct klp_state *klp_get_state(struct klp_patch *patch, unsigned long id);
struct klp_state *klp_get_prev_state(unsigned long id);
typedef int (*klp_shadow_ctor_t)(void *obj, void *shadow_data, void *ctor_data);
typedef void (*klp_shadow_dtor_t)(void *obj, void *shadow_data);
void *klp_shadow_get(void *obj, unsigned long id);
void *klp_shadow_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp_flags, klp_shadow_ctor_t ctor, void *ctor_data);
void *klp_shadow_get_or_alloc(void *obj, unsigned long id, size_t size, gfp_t gfp_flags, klp_shadow_ctor_t ctor, void *ctor_data);
void klp_shadow_free(void *obj, unsigned long id, klp_shadow_dtor_t dtor);
void klp_shadow_free_all(unsigned long id, klp_shadow_dtor_t dtor);

#endif
