/// A connection's thread runs the jobs of tasks that prefer it (`Database.withSession(_:)`): such
/// a task's database calls on that connection then run where the task already is, with no
/// hand-off between threads.
extension ConnectionThread: TaskExecutor {
    /// Runs `job` on the thread after the bodies and jobs submitted before it.
    func enqueue(_ job: consuming ExecutorJob) {
        let job = UnownedJob(job)
        submitTaskSlice { job.runSynchronously(on: self.asUnownedTaskExecutor()) }
    }
}
