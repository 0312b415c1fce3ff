using System.Security.Cryptography;
using System.Text;
using LeaseActors.Simulation.Tracing;

namespace LeaseActors.Simulation.Tests.Tracing;

public sealed class RunTraceTests
{
    [Fact]
    public void Each_event_becomes_one_json_line_stamped_with_its_index_and_time_in_microseconds()
    {
        var now = TimeSpan.Zero;
        var trace = new RunTrace(() => now);
        trace.Record(new TraceEvent("a", ("n", 1)));
        now = TimeSpan.FromSeconds(45);
        trace.Record(new TraceEvent("b"));

        Assert.Equal("{\"i\":0,\"us\":0,\"kind\":\"a\",\"n\":1}\n{\"i\":1,\"us\":45000000,\"kind\":\"b\"}\n",
            Encoding.UTF8.GetString(trace.ToCanonicalBytes()));
        Assert.Equal([TimeSpan.Zero, TimeSpan.FromSeconds(45)], trace.Entries.Select(e => e.Time));
    }

    [Fact]
    public void The_hash_is_the_lowercase_hex_sha256_of_the_canonical_bytes()
    {
        var trace = new RunTrace(() => TimeSpan.Zero);
        Assert.Equal("e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", trace.ComputeSha256());

        trace.Record(new TraceEvent("a", ("n", 1)));

        Assert.Equal(Convert.ToHexStringLower(SHA256.HashData(trace.ToCanonicalBytes())), trace.ComputeSha256());
    }

    [Fact]
    public void A_sealed_trace_ignores_later_events_and_does_not_tell_listeners()
    {
        var trace = new RunTrace(() => TimeSpan.Zero);
        var heard = new List<string>();
        trace.Subscribe(e => heard.Add(e.Event.Kind));
        trace.Record(new TraceEvent("before"));

        trace.Seal();
        trace.Record(new TraceEvent("after"));

        Assert.True(trace.IsSealed);
        Assert.Equal(["before"], trace.Entries.Select(e => e.Event.Kind));
        Assert.Equal(["before"], heard);
    }

    [Fact]
    public void A_run_seals_its_trace_so_teardown_never_changes_it()
    {
        using var host = new SimulationFixture();

        var result = host.Driver.Run(new RunOptions(), run => Akka.Actor.Props.Create(() => new RecordsOnStop(run.Trace)));

        Assert.True(result.Trace.IsSealed);
        Assert.Equal(["started"], result.Trace.Entries.Select(e => e.Event.Kind));
    }

    private sealed class RecordsOnStop : Akka.Actor.ReceiveActor
    {
        private readonly RunTrace _trace;

        public RecordsOnStop(RunTrace trace)
        {
            _trace = trace;
            trace.Record(new TraceEvent("started"));
        }

        protected override void PostStop() => _trace.Record(new TraceEvent("stopped during teardown"));
    }
}
