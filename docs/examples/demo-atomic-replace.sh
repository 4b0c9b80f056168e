# Atomic replace: a livepatch, then a cumulative patch that takes over from it.
# (klpsim run --demo --step docs/examples/demo-atomic-replace.sh: Enter runs the next command, q ends)
cat /proc/cmdline

# test_klp_livepatch replaces cmdline_proc_show.
insmod test_modules/test_klp_livepatch.ko
cat /proc/cmdline

# test_klp_atomic_replace replace=1 replaces every enabled patch at once.
insmod test_modules/test_klp_atomic_replace.ko replace=1
sleep 2
klp list

# The replaced patch is disabled: its module can go.
rmmod test_klp_livepatch
