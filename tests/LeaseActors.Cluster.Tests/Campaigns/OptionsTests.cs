using LeaseActors.Cluster.Campaigns;

namespace LeaseActors.Cluster.Tests.Campaigns;

public sealed class OptionsTests
{
    [Fact]
    public void Node_options_default_to_a_free_port_generous_failure_detection_and_errors_only()
    {
        var options = new CampaignNodeOptions { Host = "127.0.0.1" };
        Assert.Equal(0, options.Port);
        Assert.Null(options.Join);
        Assert.True(options.IsCoordinator);
        Assert.Equal(TimeSpan.FromSeconds(10), options.HeartbeatPause);
        Assert.Equal(TimeSpan.FromSeconds(10), options.DownAfter);
        Assert.Equal(TimeSpan.FromSeconds(60), options.JoinTimeout);
        Assert.Equal("ERROR", options.LogLevel);
        Assert.Same(options, options.Validate());
    }

    [Fact]
    public void Coordinator_options_default_to_no_wait_ranges_of_100_and_a_local_worker()
    {
        var options = new CoordinatorOptions();
        Assert.Equal(0, options.MinWorkers);
        Assert.Equal(100, options.RangeSize);
        Assert.Equal(new WorkerOptions(), options.LocalWorker);
        Assert.Same(options, options.Validate());
    }

    [Fact]
    public void Worker_options_default_to_every_core_two_ranges_ahead_and_small_batches()
    {
        var options = new WorkerOptions();
        Assert.Equal(Environment.ProcessorCount, options.Parallel);
        Assert.Equal(2, options.Prefetch);
        Assert.Equal(64, options.BatchLines);
        Assert.Equal(65_536, options.BatchChars);
        Assert.Equal(TimeSpan.FromMilliseconds(50), options.FlushInterval);
        Assert.Null(options.BeforeRun);
        Assert.Same(options, options.Validate());
    }

    [Theory]
    [InlineData("", 0, null, "host")]
    [InlineData("127.0.0.1", 70000, null, "port")]
    [InlineData("127.0.0.1", 0, "127.0.0.1", "HOST:PORT")]
    [InlineData("127.0.0.1", 0, "::1:4053", "brackets")]
    public void Bad_node_options_are_refused_naming_what_is_wrong(string host, int port, string? join, string expected)
    {
        var error = Assert.Throws<ArgumentException>(() => new CampaignNodeOptions { Host = host, Port = port, Join = join }.Validate());
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bad_coordinator_and_worker_options_are_refused_naming_the_option()
    {
        Assert.Contains("--min-workers", Assert.Throws<ArgumentException>(() => new CoordinatorOptions { MinWorkers = -1 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("range size", Assert.Throws<ArgumentException>(() => new CoordinatorOptions { RangeSize = 0 }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("--parallel", Assert.Throws<ArgumentException>(() => new CoordinatorOptions { LocalWorker = new WorkerOptions { Parallel = 0 } }.Validate()).Message, StringComparison.Ordinal);
        Assert.Contains("prefetch", Assert.Throws<ArgumentException>(() => new WorkerOptions { Prefetch = 0 }.Validate()).Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.0.0.1:4053", "127.0.0.1", 4053)]
    [InlineData("localhost:0", "localhost", 0)]
    [InlineData("[::1]:4053", "::1", 4053)]
    public void Endpoints_are_host_colon_port(string text, string host, int port)
    {
        Assert.Equal((host, port), CampaignCluster.ParseEndpoint(text, "the address"));
    }
}
