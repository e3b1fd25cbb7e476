namespace Flywheel.Pipelines;

/// <summary>
/// Fan-out with at most N activities in flight, in an orchestration: starts the next item as soon as
/// one finishes and hands each result over as it arrives. Only durable tasks are awaited, so a replay
/// takes the same path.
/// </summary>
public static class BoundedFanOut
{
    public static async Task RunAsync<TItem, TResult>(IEnumerable<TItem> items, int parallelism, Func<TItem, Task<TResult>> start, Action<TResult> finished)
    {
        ArgumentNullException.ThrowIfNull(start);
        ArgumentNullException.ThrowIfNull(finished);
        var pending = new Queue<TItem>(items);
        var running = new List<Task<TResult>>();
        while (pending.Count > 0 || running.Count > 0)
        {
            while (pending.Count > 0 && running.Count < parallelism)
            {
                running.Add(start(pending.Dequeue()));
            }

            var done = await Task.WhenAny(running);
            running.Remove(done);
            finished(await done);
        }
    }
}
