namespace LeaseActors.RealTime;

/// <summary>
/// What a real-time kernel is doing, for the end-of-run rule (<see cref="RealTimeRunner.WaitForEnd"/>): live processes,
/// whether any was created, and the kernel time of the latest event. Fed by the trace's listener (one node) or by the
/// cluster's trace collector (events from every node, which may arrive out of time order); read by the waiting task.
/// </summary>
internal sealed class RunActivity
{
    private readonly Lock _gate = new();
    private int _alive;
    private bool _started;
    private TimeSpan _last;

    /// <summary>Counts one event of <paramref name="kind"/> recorded at kernel time <paramref name="time"/>.</summary>
    public void Observe(string kind, TimeSpan time)
    {
        lock (_gate)
        {
            if (time > _last) _last = time;
            switch (kind)
            {
                case "process.created":
                    _alive++;
                    _started = true;
                    break;
                case "process.exited":
                    _alive--;
                    break;
            }
        }
    }

    public (int Alive, bool Started, TimeSpan Last) Read()
    {
        lock (_gate) return (_alive, _started, _last);
    }
}
