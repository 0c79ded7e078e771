// The few Linux scheduler calls the database layer's threads use. glibc declares them only under
// _GNU_SOURCE, which Swift's Glibc module is not built with, so they are declared here under names
// of their own (bound to glibc's symbols), which clash with no declaration of glibc's.
#ifndef TANDEM_CSCHEDULER_SHIM_H
#define TANDEM_CSCHEDULER_SHIM_H

#ifdef __linux__
extern int tandem_sched_getcpu(void) __asm__("sched_getcpu");
extern int tandem_sched_getaffinity(int pid, unsigned long size, void *mask) __asm__("sched_getaffinity");
extern int tandem_sched_setaffinity(int pid, unsigned long size, const void *mask) __asm__("sched_setaffinity");

/// The CPU the calling thread runs on, or -1 where the system cannot tell.
static inline int tandem_current_cpu(void) { return tandem_sched_getcpu(); }

/// Moves the calling thread off CPU `cpu` onto another CPU it may run on, then gives back the
/// affinity it had, so the scheduler stays free to place it anywhere later. Returns 0 when the
/// thread was moved, -1 when it may run on no other CPU or a call failed (the affinity is then
/// what it was before).
static inline int tandem_move_off_cpu(int cpu) {
    enum { words = 16 };  // 1,024 CPUs, glibc's cpu_set_t
    unsigned long original[words] = {0}, elsewhere[words];
    if (cpu < 0 || cpu >= words * 64) return -1;
    if (tandem_sched_getaffinity(0, sizeof original, original) != 0) return -1;
    int any = 0;
    for (int i = 0; i < words; i++) {
        elsewhere[i] = original[i];
        if (i == cpu / 64) elsewhere[i] &= ~(1UL << (cpu % 64));
        any |= elsewhere[i] != 0;
    }
    if (!any) return -1;
    if (tandem_sched_setaffinity(0, sizeof elsewhere, elsewhere) != 0) return -1;
    return tandem_sched_setaffinity(0, sizeof original, original) == 0 ? 0 : -1;
}

/// How many CPUs the calling thread may run on, or -1 where the system cannot tell.
static inline int tandem_allowed_cpu_count(void) {
    unsigned long mask[16] = {0};
    if (tandem_sched_getaffinity(0, sizeof mask, mask) != 0) return -1;
    int count = 0;
    for (int i = 0; i < 16; i++) count += __builtin_popcountl(mask[i]);
    return count;
}
#else
static inline int tandem_allowed_cpu_count(void) { return -1; }
static inline int tandem_current_cpu(void) { return -1; }
static inline int tandem_move_off_cpu(int cpu) { (void)cpu; return -1; }
#endif

/// Tells the CPU that the caller spins waiting for another thread (x86 `pause`, ARM `yield`).
static inline void tandem_spin_pause(void) {
#if defined(__x86_64__) || defined(__i386__)
    __builtin_ia32_pause();
#elif defined(__aarch64__)
    __asm__ __volatile__("yield");
#endif
}

#endif
