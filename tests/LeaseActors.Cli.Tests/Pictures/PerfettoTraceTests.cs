using System.Text.Json;
using LeaseActors.Cli.Commands;

namespace LeaseActors.Cli.Tests.Pictures;

public sealed class PerfettoTraceTests
{
    public static TheoryData<string, string?> Scenarios => new()
    {
        { "seed-email", null },
        { "handler-in-time", null },
        { "handler-too-slow", null },
        { "rdma-seed", null },
        { "rdma-seed-rehome", null },
        { "rdma-handler-too-slow", null },
        { "setown-takeover", null },
        { "fork-child-holds", null },
        { "two-readers-one-writer", null },
        { "handler-in-time", "slow-handlers" },
        { "seed-email", "lossy-signals" },
    };

    [Theory]
    [MemberData(nameof(Scenarios))]
    public void The_trace_is_valid_trace_event_json(string topology, string? chaos)
    {
        using var dir = new TempDir();
        var file = dir.File("t.json");
        var args = new List<string> { "trace", Topologies.Path(topology), "--format", "perfetto", "-o", file, "--seed", "3" };
        if (chaos is not null) args.AddRange(["--chaos", Path.Combine(CliRunner.RepoRoot, "configs", "chaos", chaos + ".conf")]);
        var (exit, _, err) = CliRunner.Run([.. args]);
        Assert.True(exit == 0, err);
        Assert.Empty(TraceEventFormat.Problems(File.ReadAllText(file)));
    }

    [Fact]
    public void The_seed_trace_shows_C_blocked_45_s_and_the_break_deadline()
    {
        var (exit, json, err) = CliRunner.Run("trace", "--format", "perfetto");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(json);
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        int PidOf(string process) => events.First(e => e.GetProperty("ph").GetString() == "M" && e.GetProperty("name").GetString() == "process_name"
                                                        && e.GetProperty("args").GetProperty("name").GetString() == process).GetProperty("pid").GetInt32();
        var c = PidOf("C");
        var open = events.Single(e => e.GetProperty("ph").GetString() == "X" && e.GetProperty("pid").GetInt32() == c && e.GetProperty("name").GetString() == "open [breaker]");
        Assert.Equal(45_000_000, open.GetProperty("dur").GetDouble());
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "i" && e.GetProperty("cat").GetString() == "deadline" && e.GetProperty("ts").GetDouble() == 45_000_000);
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "i" && e.GetProperty("cat").GetString() == "never-signalled" && e.GetProperty("pid").GetInt32() == PidOf("B"));
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "s" && e.GetProperty("cat").GetString() == "fd");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "B" && e.GetProperty("cat").GetString() == "breaking");
    }

    [Fact]
    public void A_delivered_signal_is_a_flow_into_the_handler_process()
    {
        var (exit, json, err) = CliRunner.Run("trace", Topologies.Path("handler-in-time"), "--format", "perfetto");
        Assert.True(exit == 0, err);
        using var doc = JsonDocument.Parse(json);
        var events = doc.RootElement.GetProperty("traceEvents").EnumerateArray().ToList();
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "f" && e.GetProperty("cat").GetString() == "signal");
        Assert.Contains(events, e => e.GetProperty("ph").GetString() == "B" && e.GetProperty("cat").GetString() == "handler");
    }

    [Theory]
    [InlineData("[]", "no traceEvents array")]
    [InlineData("""{"traceEvents":[{"name":"a","ph":"B","ts":1,"pid":1,"tid":1}]}""", "never ended")]
    [InlineData("""{"traceEvents":[{"name":"a","ph":"E","ts":1,"pid":1,"tid":1}]}""", "end without a begin")]
    [InlineData("""{"traceEvents":[{"name":"a","ph":"i","ts":5,"pid":1,"tid":1},{"name":"b","ph":"i","ts":4,"pid":1,"tid":1}]}""", "before")]
    [InlineData("""{"traceEvents":[{"name":"a","ph":"s","id":7,"ts":5,"pid":1,"tid":1}]}""", "never ends")]
    [InlineData("""{"traceEvents":[{"name":"a","ph":"X","ts":5,"pid":1,"tid":1}]}""", "dur")]
    [InlineData("""{"traceEvents":[{"name":"a","ph":"i","pid":1,"tid":1}]}""", "ts")]
    [InlineData("""{"traceEvents":[{"name":"a","ph":"X","ts":0,"dur":10,"pid":1,"tid":1},{"name":"b","ph":"X","ts":5,"dur":10,"pid":1,"tid":1}]}""", "without nesting")]
    public void The_validator_finds_broken_traces(string json, string problem)
    {
        var problems = TraceEventFormat.Problems(json.StartsWith('[') ? """{"x":[]}""" : json);
        Assert.Contains(problems, p => p.Contains(problem, StringComparison.Ordinal));
    }
}

public sealed class ThreadLaneTests
{
    private const string Threads = """
        # Two threads of B block on the same break, from 0 and from 5 ms, until A's handler releases at 20 ms.
        name = threads
        files.data { path = /srv/data }
        processes {
          A.program = [
            { open = data, flags = [O_RDONLY], as = f }
            { fcntl = F_SETLEASE, fd = f, arg = F_RDLCK, label = lease }
            { sleep = 1m }
          ]
          A.handlers.SIGIO = { takes = 20ms, steps = [ { fcntl = F_SETLEASE, fd = f, arg = F_UNLCK, label = released } ] }
          B.program = [
            { wait-for = A.lease }
            { thread = t, program = [ { open = data, flags = [O_RDWR], as = w, label = in-thread } ] }
            { sleep = 5ms }
            { open = data, flags = [O_RDWR], as = v, label = in-main }
          ]
        }
        """;

    [Fact]
    public void A_thread_gets_its_own_lane_and_track()
    {
        using var dir = new TempDir();
        var topology = dir.File("threads.conf");
        File.WriteAllText(topology, Threads);
        var (exit, json, err) = CliRunner.Run("trace", topology, "--format", "perfetto");
        Assert.True(exit == 0, err);
        Assert.Empty(TraceEventFormat.Problems(json));
        Assert.Contains("\"B thread t\"", json, StringComparison.Ordinal);
        (exit, var html, err) = CliRunner.Run("trace", topology, "--format", "html");
        Assert.True(exit == 0, err);
        Assert.Contains("data-track=\"t:B/B.t\"", html, StringComparison.Ordinal);
        Assert.Contains("open [in-thread] blocked 20 ms", html, StringComparison.Ordinal);
    }
}

/// <summary>The topology files under configs/topologies.</summary>
internal static class Topologies
{
    public static string Path(string name) => System.IO.Path.Combine(CliRunner.RepoRoot, "configs", "topologies", name + ".conf");
}
