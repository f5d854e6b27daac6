//! The PostgreSQL store's own runtime. `Store` is synchronous (a transaction's closure borrows the
//! request and must not cross an `.await`), while tokio-postgres is async: the store's database work
//! runs as tasks on a small runtime of its own, and the calling thread waits for the result. On a
//! worker of the server's runtime the wait hands the worker's other tasks to another thread first
//! (`block_in_place`), so requests for other apps keep being served.

use std::future::Future;

use tokio::runtime::{Handle, Runtime, RuntimeFlavor};

pub struct Bridge {
    /// `Some` until the store is dropped.
    runtime: Option<Runtime>,
}

impl Bridge {
    pub fn new() -> std::io::Result<Self> {
        let runtime = tokio::runtime::Builder::new_multi_thread()
            .worker_threads(2)
            .thread_name("sandbank-postgres")
            .enable_all()
            .build()?;
        Ok(Self {
            runtime: Some(runtime),
        })
    }

    fn handle(&self) -> &Handle {
        self.runtime
            .as_ref()
            .expect("the runtime lives as long as the store")
            .handle()
    }

    /// Runs `work` on the store's runtime and waits for its result; `None` if the task died.
    pub fn run<T: Send + 'static>(
        &self,
        work: impl Future<Output = T> + Send + 'static,
    ) -> Option<T> {
        let (sender, receiver) = std::sync::mpsc::sync_channel(1);
        self.handle().spawn(async move {
            let _ = sender.send(work.await);
        });
        wait(move || receiver.recv().ok())
    }

    /// Starts `work` on the store's runtime without waiting for it (ending a read-only transaction).
    pub fn detach(&self, work: impl Future<Output = ()> + Send + 'static) {
        self.handle().spawn(work);
    }
}

impl Drop for Bridge {
    fn drop(&mut self) {
        // Dropping a runtime blocks, which a runtime's own thread may not do.
        if let Some(runtime) = self.runtime.take() {
            runtime.shutdown_background();
        }
    }
}

/// Whether the caller's runtime lets a task await the store's work while its worker serves others
/// (a multi-threaded one). On a single-threaded runtime (a test's, whose clock may be paused and
/// would run ahead while the task awaited) the store's work is waited for instead, blocking.
pub fn awaits() -> bool {
    matches!(
        Handle::try_current().map(|handle| handle.runtime_flavor()),
        Ok(RuntimeFlavor::MultiThread)
    )
}

/// Blocks on `f`, first moving this worker's other tasks elsewhere when on a multi-threaded runtime.
pub fn wait<T>(f: impl FnOnce() -> T) -> T {
    match Handle::try_current().map(|handle| handle.runtime_flavor()) {
        Ok(RuntimeFlavor::MultiThread) => tokio::task::block_in_place(f),
        _ => f(),
    }
}
