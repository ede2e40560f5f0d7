//! Running independent work (emitting, writing files) on every core, with deterministic
//! results.

use std::num::NonZeroUsize;
use std::thread;

/// Applies `f` to every item on up to as many threads as there are cores and returns the
/// results in the order of `items`; the error of the earliest failing item wins, as in a
/// sequential loop.
pub(crate) fn try_map<T, R, E>(
    items: &[T],
    f: impl Fn(&T) -> Result<R, E> + Sync,
) -> Result<Vec<R>, E>
where
    T: Sync,
    R: Send,
    E: Send,
{
    let threads = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    if threads <= 1 || items.len() <= 1 {
        return items.iter().map(&f).collect();
    }
    let chunk = items.len().div_ceil(threads);
    let f = &f;
    thread::scope(|scope| {
        let workers: Vec<_> = items
            .chunks(chunk)
            .map(|part| scope.spawn(move || part.iter().map(f).collect::<Result<Vec<R>, E>>()))
            .collect();
        let mut out = Vec::with_capacity(items.len());
        for worker in workers {
            out.extend(join(worker)?);
        }
        Ok(out)
    })
}

/// The result of a scoped thread; a panic in it is a bug, passed on unchanged.
pub(crate) fn join<T>(handle: thread::ScopedJoinHandle<'_, T>) -> T {
    handle
        .join()
        .unwrap_or_else(|panic| std::panic::resume_unwind(panic))
}

#[cfg(test)]
mod tests {
    use super::try_map;

    #[test]
    fn keeps_the_order_of_the_items() {
        let items: Vec<u32> = (0..1000).collect();
        let doubled = try_map(&items, |n| Ok::<_, ()>(n * 2)).expect("no error");
        assert_eq!(doubled, items.iter().map(|n| n * 2).collect::<Vec<_>>());
    }

    #[test]
    fn the_earliest_error_wins() {
        let items: Vec<u32> = (0..1000).collect();
        let result = try_map(&items, |&n| if n % 300 == 299 { Err(n) } else { Ok(n) });
        assert_eq!(result, Err(299));
    }
}
