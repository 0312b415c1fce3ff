using System.Collections.Immutable;
using LeaseActors;
using LeaseActors.Files;
using LeaseActors.Kernel;
using LeaseActors.Processes;
using LeaseActors.Signals;
using LeaseActors.Topologies;
using Steps = LeaseActors.Processes.Program;

namespace StorageServer;

/// <summary>
/// Builds the storage-server emulation as a <see cref="Topology"/> in C#: no HOCON file, the same <see cref="Scenario"/>
/// records a topology file is parsed into, so <see cref="TopologyRunner"/> and the real-time runner run and judge it.
/// </summary>
/// <remarks>
/// <para>Processes (all uid 0): <c>server</c>, <c>client-0</c> … <c>client-(N-1)</c>, and <c>maint</c>. Each client is
/// connected to the server by a unix socket pair <c>sock-i</c>. One FS-DAX file, <c>/mnt/pmem/store</c>, N slices of
/// <see cref="StorageServerOptions.SliceBytes"/>.</para>
/// <para>A lease period r (one per truncate): the server takes a layout lease on its data fd (the policy-neutral step,
/// which each policy maps to its own call), then per client opens the RDMA device, registers region <c>mr-ci</c> over the
/// client's slice of its mapping, passes the context over <c>sock-i</c> (SCM_RIGHTS) and closes its own copy, so the
/// client is the context's only holder. The maintenance process waits <see cref="StorageServerOptions.Interval"/> and
/// truncates the file to 0 (or punches a hole over the period's data). The next period starts when that returns: the
/// server writes the file back to its size (the blocks come from the free list) and hands out fresh contexts; a client
/// drops its old context when the new period's has been sent.</para>
/// <para>Teardown: the server's SIGIO handler (1 ms) forwards the break to every client with SIGUSR1, waits for each
/// client's acknowledgement on its socket, then releases its layout lease — the careful application. A client's SIGUSR1
/// and SIGIO handlers take <see cref="StorageServerOptions.HandlerTime"/>, then deregister its region and close its
/// context (and release its own layout lease with <see cref="StorageServerOptions.ClientLeases"/>); the SIGUSR1 handler
/// then acknowledges. SIGIO reaches a client directly only where the policy sends the break to the context's holder
/// (mr-holds-lease) or the client holds a lease of its own.</para>
/// </remarks>
internal static class StorageScenario
{
    /// <summary>The FS-DAX file's path.</summary>
    public const string DataPath = "/mnt/pmem/store";

    /// <summary>The server process's name.</summary>
    public const string Server = "server";

    /// <summary>The maintenance process's name.</summary>
    public const string Maintenance = "maint";

    /// <summary>How long the server's SIGIO handler takes before it forwards the break: it only forwards.</summary>
    public static readonly TimeSpan ServerHandlerTime = TimeSpan.FromMilliseconds(1);

    /// <summary>The name of client <paramref name="i"/>.</summary>
    public static string Client(int i) => $"client-{i}";

    /// <summary>The socket pair between the server and client <paramref name="i"/> (the fd name at both ends).</summary>
    public static string Socket(int i) => $"sock-{i}";

    /// <summary>The region the server registers for client <paramref name="i"/> (a name in each context).</summary>
    public static string Region(int i) => $"mr-c{i}";

    /// <summary>The label of the maintenance process's truncate (or punch hole) of period <paramref name="r"/>.</summary>
    public static string TruncateLabel(int r) => $"truncate-{r}";

    /// <summary>The topology of <paramref name="options"/> (which must be valid).</summary>
    public static Topology Build(StorageServerOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        var n = options.Clients;
        var size = n * StorageServerOptions.SliceBytes;
        var processes = ImmutableArray.CreateBuilder<EmulatedKernel.Spawn>();
        processes.Add(new EmulatedKernel.Spawn(Server, ServerProgram(options, size), Actions: ServerHandlers(n)));
        for (var i = 0; i < n; i++)
            processes.Add(new EmulatedKernel.Spawn(Client(i), ClientProgram(options, i), Actions: ClientHandlers(options, i)));
        processes.Add(new EmulatedKernel.Spawn(Maintenance, MaintenanceProgram(options, size)));

        var scenario = new Scenario
        {
            Options = new KernelOptions { LeaseBreakTime = options.LeaseBreakTime },
            Files = [new EmulatedKernel.CreateFile(DataPath, FileType.Regular, size, Dax: true)],
            Processes = processes.ToImmutable(),
            Sockets = [.. Enumerable.Range(0, n).Select(i => new EmulatedKernel.ConnectSocket(Socket(i), Server, Client(i)))],
        };
        return new Topology
        {
            Name = "storage-server",
            Source = "(samples/StorageServer)",
            Description = $"a server hands {n} clients RDMA contexts over {DataPath}; maint {(options.PunchHole ? "punches holes in" : "truncates")} it {options.Truncates} times",
            Scenario = scenario,
            ProcessNames = [.. processes.Select(p => p.Name)],
        };
    }

    private static ImmutableArray<Step> ServerProgram(StorageServerOptions options, long size)
    {
        var steps = new List<Step>
        {
            Steps.Do(new Open(DataPath, OpenFlags.O_RDWR, "data")),
            Steps.Do(new Mmap("data", Shared: true, As: "map")),
        };
        for (var r = 0; r < options.Truncates; r++)
        {
            if (r > 0)
            {
                // The next period: the file is written back to its size (blocks from the free list), then handed out again.
                steps.Add(new WaitForStep(Maintenance, TruncateLabel(r - 1)));
                steps.Add(Steps.Do(new Write("data", size), $"refill-{r}"));
            }
            steps.Add(Steps.Do(new TakeLayoutLease("data"), $"lease-{r}"));
            // After a punch hole the size stays and the written data is appended: period r's data starts at r * size.
            var period = options.PunchHole ? r * size : 0;
            for (var i = 0; i < options.Clients; i++)
            {
                steps.Add(Steps.Do(new OpenVerbsContext($"ctx-{i}")));
                steps.Add(Steps.Do(new RegisterRegion($"ctx-{i}", "map", Region(i), Offset: period + i * StorageServerOptions.SliceBytes,
                    Length: StorageServerOptions.SliceBytes), $"register-{r}-{i}"));
                steps.Add(Steps.Do(new SendMsg(Socket(i), [FdRef.Named($"ctx-{i}")]), $"pass-{r}-{i}"));
                steps.Add(Steps.Do(new Close($"ctx-{i}")));
            }
            steps.Add(new LabelStep($"period-{r}"));
        }
        steps.Add(new WaitForStep(Maintenance, "exited"));
        return [.. steps];
    }

    private static ImmutableDictionary<int, SignalAction> ServerHandlers(int clients)
    {
        // Forward the break to every client, wait for every acknowledgement, and only then let the lease go.
        var steps = new List<Step>();
        for (var i = 0; i < clients; i++) steps.Add(Steps.Do(new Kill(ProcessRef.Named(Client(i)), Sig.SIGUSR1)));
        for (var i = 0; i < clients; i++) steps.Add(Steps.Do(new RecvMsg(Socket(i), [])));
        steps.Add(Steps.Do(new ReleaseLayoutLease("data"), "released"));
        var handler = new SignalHandler(ServerHandlerTime, [.. steps], Restart: true);
        return ImmutableDictionary<int, SignalAction>.Empty.Add(Sig.SIGIO, new SignalAction.Handle(handler));
    }

    private static ImmutableArray<Step> ClientProgram(StorageServerOptions options, int i)
    {
        var steps = new List<Step>();
        if (options.ClientLeases) steps.Add(Steps.Do(new Open(DataPath, OpenFlags.O_RDWR, "own")));
        for (var r = 0; r < options.Truncates; r++)
        {
            if (r > 0)
            {
                // The new period's context is on its way: drop the old one (EBADF when a handler already closed it).
                steps.Add(new WaitForStep(Server, $"period-{r}"));
                steps.Add(Steps.Do(new Close("ctx")));
            }
            if (options.ClientLeases) steps.Add(Steps.Do(new TakeLayoutLease("own"), $"lease-{r}"));
            steps.Add(Steps.Do(new RecvMsg(Socket(i), ["ctx"]), $"received-{r}"));
        }
        steps.Add(new WaitForStep(Maintenance, "exited"));
        steps.Add(Steps.Do(new Close("ctx")));
        return [.. steps];
    }

    private static ImmutableDictionary<int, SignalAction> ClientHandlers(StorageServerOptions options, int i)
    {
        var teardown = new List<Step>
        {
            Steps.Do(new DeregisterRegion("ctx", Region(i))),
            Steps.Do(new Close("ctx")),
        };
        if (options.ClientLeases) teardown.Add(Steps.Do(new ReleaseLayoutLease("own")));
        // SIGIO: the kernel told this client itself. SIGUSR1: the server forwarded a break, and waits for the answer.
        var direct = new SignalHandler(options.HandlerTime, [.. teardown], Restart: true);
        var forwarded = new SignalHandler(options.HandlerTime, [.. teardown, Steps.Do(new SendMsg(Socket(i), []))], Restart: true);
        return ImmutableDictionary<int, SignalAction>.Empty
            .Add(Sig.SIGIO, new SignalAction.Handle(direct))
            .Add(Sig.SIGUSR1, new SignalAction.Handle(forwarded));
    }

    private static ImmutableArray<Step> MaintenanceProgram(StorageServerOptions options, long size)
    {
        var steps = new List<Step>();
        if (options.PunchHole) steps.Add(Steps.Do(new Open(DataPath, OpenFlags.O_RDWR, "f")));
        for (var r = 0; r < options.Truncates; r++)
        {
            steps.Add(new WaitForStep(Server, $"period-{r}"));
            steps.Add(new SleepStep(options.Interval));
            steps.Add(options.PunchHole
                ? Steps.Do(new PunchHole("f", r * size, size), TruncateLabel(r))
                : Steps.Do(new Truncate(DataPath, 0), TruncateLabel(r)));
        }
        return [.. steps];
    }
}
