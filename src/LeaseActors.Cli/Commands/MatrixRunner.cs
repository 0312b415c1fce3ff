using System.Runtime.ExceptionServices;
using LeaseActors.Cli.Output;
using LeaseActors.Topologies;

namespace LeaseActors.Cli.Commands;

/// <summary>
/// Runs every row of a matrix under every policy, on up to <c>parallel</c> worker threads, each with its own
/// <see cref="EmulatorHost"/> (an actor system and a simulation driver, which runs on the thread that calls it).
/// </summary>
/// <remarks>
/// Workers take cells from a shared counter and write each result into the cell's own slot, so the cells come back
/// row-major in the order given whatever the parallelism; a run depends only on its topology, policy and seed, so
/// the results are the same too (a test compares <c>--parallel 1</c> with <c>--parallel 2</c>).
/// </remarks>
internal static class MatrixRunner
{
    /// <summary>Stack of a worker thread: that of the main thread on Linux, since runs happen on it either way.</summary>
    private const int WorkerStackBytes = 8 * 1024 * 1024;

    /// <summary>Runs the cells and returns them row-major. An exception from any run (a bug) is rethrown once every worker has stopped.</summary>
    public static IReadOnlyList<MatrixCell> Run(IReadOnlyList<MatrixRow> rows, IReadOnlyList<string> policies, ulong seed, int parallel)
    {
        ArgumentNullException.ThrowIfNull(rows);
        ArgumentNullException.ThrowIfNull(policies);
        ArgumentOutOfRangeException.ThrowIfLessThan(parallel, 1);
        var jobs = rows.SelectMany(row => policies.Select(policy => (Row: row, Policy: policy))).ToArray();
        var cells = new MatrixCell[jobs.Length];
        var next = -1;
        ExceptionDispatchInfo? failure = null;

        void Work()
        {
            try
            {
                using var host = new EmulatorHost();
                int i;
                while (Volatile.Read(ref failure) is null && (i = Interlocked.Increment(ref next)) < jobs.Length)
                {
                    var (row, policy) = jobs[i];
                    cells[i] = MatrixCell.From(row.Label, row.Topology.Source, TopologyRunner.Run(host.Driver, row.Topology, policy, seed));
                }
            }
#pragma warning disable CA1031 // Any exception is a bug; it is carried to the calling thread and rethrown there.
            catch (Exception ex)
#pragma warning restore CA1031
            {
                Interlocked.CompareExchange(ref failure, ExceptionDispatchInfo.Capture(ex), null);
            }
        }

        var workers = Math.Min(parallel, jobs.Length);
        if (workers <= 1)
        {
            if (jobs.Length > 0) Work();
        }
        else
        {
            var threads = Enumerable.Range(0, workers)
                .Select(n => new Thread(Work, WorkerStackBytes) { Name = $"matrix-{n}", IsBackground = true })
                .ToList();
            foreach (var t in threads) t.Start();
            foreach (var t in threads) t.Join();
        }
        failure?.Throw();
        return cells;
    }
}
