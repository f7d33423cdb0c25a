// Qemu under TCG is CPU-heavy: one test machine at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
