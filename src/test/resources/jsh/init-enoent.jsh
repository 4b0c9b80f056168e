// A plain module whose init fails with -ENOENT (as an unresolved symbol would): kmod's
// modprobe words that errno its own way; insmod says "Unknown symbol in module".
m.init(() -> -2);
