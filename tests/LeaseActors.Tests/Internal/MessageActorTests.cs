using Akka.Actor;
using LeaseActors.Internal;
using LeaseActors.Judging;
using LeaseActors.Simulation;
using LeaseActors.Topologies;

namespace LeaseActors.Tests.Internal;

public sealed class MessageActorTests(KernelFixture fixture) : IClassFixture<KernelFixture>
{
    [Fact]
    public void Every_kernel_actor_class_shares_one_handler_table()
    {
        // Every sample topology under every policy, so that every kind of kernel actor has been created more than once.
        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "LeaseActors.sln"))) dir = dir.Parent;
        foreach (var file in Directory.GetFiles(Path.Combine(dir!.FullName, "configs", "topologies"), "*.conf").Order(StringComparer.Ordinal))
        {
            var topology = TopologyParser.ParseFile(file);
            foreach (var policy in Policies.Implemented) _ = TopologyRunner.Run(fixture.Driver, topology, policy, 0);
        }

        var classes = typeof(MessageActor).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(MessageActor)) && !t.IsAbstract).ToList();
        Assert.True(classes.Count >= 8, "expected the kernel's eight actor classes, found " + string.Join(", ", classes.Select(t => t.Name)));
        Assert.All(classes, type => Assert.True(MessageActor.SharesHandlers(type), type.Name + " keeps a handler table per instance"));
    }

    [Fact]
    public void An_instance_that_registers_a_different_handler_for_a_type_runs_its_own()
    {
        var heard = Run(new[] { false, true, false, true }, (_, i) => new Said("m" + i));

        Assert.Equal(["0 plain m0", "1 loud M1", "2 plain m2", "3 loud M3"], heard);
        Assert.False(MessageActor.SharesHandlers(typeof(Speaker))); // once one instance differed, the class stopped sharing
    }

    [Fact]
    public void Two_different_lambdas_registered_for_a_type_in_different_instances_each_run_in_their_own_instance()
    {
        var heard = new List<string>();
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new TwoLambdaRoot(heard)));

        Assert.Empty(result.Failures);
        Assert.Equal(["B:1", "a:0", "a:2"], heard.Order(StringComparer.Ordinal));
        Assert.False(MessageActor.SharesHandlers(typeof(TwoLambdaSpeaker)));
    }

    [Fact]
    public void One_call_site_that_chooses_between_two_methods_runs_each_instance_s_own_choice()
    {
        var heard = new List<string>();
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new ChoosingRoot(heard)));

        Assert.Empty(result.Failures);
        // The text `upper ? Upper : Lower` does not name one method, so instances are compared by the method itself.
        Assert.Equal(["B:1", "a:0", "a:2"], heard.Order(StringComparer.Ordinal));
        Assert.False(MessageActor.SharesHandlers(typeof(ChoosingSpeaker)));
    }

    [Fact]
    public void A_method_group_registered_by_every_instance_is_shared()
    {
        var heard = new List<string>();
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new ChoosingRoot(heard, always: false)));

        Assert.Empty(result.Failures);
        Assert.Equal(["a:0", "a:1", "a:2"], heard.Order(StringComparer.Ordinal));
        Assert.True(MessageActor.SharesHandlers(typeof(LowerSpeaker)));
    }

    [Fact]
    public void An_instance_that_registers_fewer_handlers_than_the_shared_table_does_not_answer_the_others()
    {
        var heard = Run(new[] { false, false }, (_, i) => new Shout("s" + i), quietSecond: true);

        // The second speaker registered the first two of the three handlers, not Shout's.
        Assert.Equal(["0 shout s0", "1 unhandled Shout"], heard);
    }

    [Fact]
    public void A_handler_that_captures_more_than_the_actor_is_kept_per_instance()
    {
        var heard = Run(new[] { false, false, false }, (_, i) => new Said("x" + i), capturing: true);

        Assert.Equal(["0:x0", "1:x1", "2:x2"], heard);
        Assert.False(MessageActor.SharesHandlers(typeof(CapturingSpeaker)));
    }

    [Fact]
    public void A_handler_registered_after_the_constructor_belongs_to_that_instance_only()
    {
        var heard = Run(new[] { false, false }, (_, i) => i == 0 ? new Learn() : new Said("y"), then: i => new Said("z" + i));

        // Speaker 0 learned to answer Said loudly after its constructor; speaker 1 keeps the shared plain handler.
        Assert.Equal(["0 learned", "0 learned-loud z0", "1 plain y", "1 plain z1"], heard);
    }

    [Fact]
    public void A_message_with_no_handler_of_its_exact_type_goes_to_the_first_assignable_handler()
    {
        var heard = Run(new[] { false }, (_, _) => new LoudSaid("w"));

        Assert.Equal(["0 plain w"], heard);
    }

    private string[] Run(bool[] loud, Func<IActorRef, int, object> first, bool quietSecond = false, bool capturing = false, Func<int, object>? then = null)
    {
        var heard = new List<string>();
        var result = fixture.Driver.Run(new RunOptions(), _ => Props.Create(() => new Root(loud, first, quietSecond, capturing, then, heard)));
        Assert.Empty(result.Failures);
        return [.. heard.Order(StringComparer.Ordinal)]; // speakers run in the seed's order; each one's own messages in order
    }

    private sealed record Said(string Text) : ISaid;

    private interface ISaid
    {
        string Text { get; }
    }

    private sealed record LoudSaid(string Text) : ISaid;

    private sealed record Shout(string Text);

    private sealed record Learn;

    private sealed class Root : UntypedActor
    {
        public Root(bool[] loud, Func<IActorRef, int, object> first, bool quietSecond, bool capturing, Func<int, object>? then, List<string> heard)
        {
            var speakers = new List<IActorRef>();
            for (var i = 0; i < loud.Length; i++)
            {
                var index = i;
                var quiet = quietSecond && i == 1;
                var props = capturing
                    ? Props.Create(() => new CapturingSpeaker(index, heard))
                    : Props.Create(() => new Speaker(loud[index], quiet, heard));
                speakers.Add(Context.ActorOf(props, "speaker-" + i));
            }
            for (var i = 0; i < speakers.Count; i++) speakers[i].Tell(first(speakers[i], i));
            if (then is not null)
                for (var i = 0; i < speakers.Count; i++) speakers[i].Tell(then(i));
        }

        protected override void OnReceive(object message)
        {
            // Nothing comes back.
        }
    }

    /// <summary>Registers ISaid plainly or loudly (a different method), Learn, and Shout unless quiet (a prefix of the others' registrations).</summary>
    private sealed class Speaker : MessageActor
    {
        private readonly List<string> _heard;

        public Speaker(bool loud, bool quiet, List<string> heard)
        {
            _heard = heard;
            if (loud) Receive<ISaid>(m => _heard.Add(Name + " loud " + m.Text.ToUpperInvariant()));
            else Receive<ISaid>(Plain);
            Receive<Learn>(_ =>
            {
                _heard.Add(Name + " learned");
                Receive<Said>(m => _heard.Add(Name + " learned-loud " + m.Text));
            });
            if (!quiet) Receive<Shout>(m => _heard.Add(Name + " shout " + m.Text));
        }

        private string Name => Self.Path.Name["speaker-".Length..];

        private void Plain(ISaid m) => _heard.Add(Name + " plain " + m.Text);

        protected override void Unhandled(object message) => _heard.Add(Name + " unhandled " + message.GetType().Name);
    }

    private sealed class TwoLambdaRoot : UntypedActor
    {
        public TwoLambdaRoot(List<string> heard)
        {
            for (var i = 0; i < 3; i++)
            {
                var upper = i == 1;
                Context.ActorOf(Props.Create(() => new TwoLambdaSpeaker(upper, heard)), "speaker-" + i).Tell(new Said(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        protected override void OnReceive(object message)
        {
            // Nothing comes back.
        }
    }

    /// <summary>Registers one of two lambdas for the same message type, at the same position.</summary>
    private sealed class TwoLambdaSpeaker : MessageActor
    {
        private readonly List<string> _heard;

        public TwoLambdaSpeaker(bool upper, List<string> heard)
        {
            _heard = heard;
            if (upper) Receive<Said>(m => _heard.Add("B:" + m.Text));
            else Receive<Said>(m => _heard.Add("a:" + m.Text));
        }
    }

    private sealed class ChoosingRoot : UntypedActor
    {
        public ChoosingRoot(List<string> heard, bool always = true)
        {
            for (var i = 0; i < 3; i++)
            {
                var upper = i == 1;
                var props = always ? Props.Create(() => new ChoosingSpeaker(upper, heard)) : Props.Create(() => new LowerSpeaker(heard));
                Context.ActorOf(props, "speaker-" + i).Tell(new Said(i.ToString(System.Globalization.CultureInfo.InvariantCulture)));
            }
        }

        protected override void OnReceive(object message)
        {
            // Nothing comes back.
        }
    }

    /// <summary>Registers one of two of its methods for the same message type, at one call site.</summary>
    private sealed class ChoosingSpeaker : MessageActor
    {
        private readonly List<string> _heard;

        public ChoosingSpeaker(bool upper, List<string> heard)
        {
            _heard = heard;
            Receive<Said>(upper ? Upper : Lower);
        }

        private void Upper(Said m) => _heard.Add("B:" + m.Text);

        private void Lower(Said m) => _heard.Add("a:" + m.Text);
    }

    /// <summary>Registers a method group by its name, as the kernel's actors do.</summary>
    private sealed class LowerSpeaker : MessageActor
    {
        private readonly List<string> _heard;

        public LowerSpeaker(List<string> heard)
        {
            _heard = heard;
            Receive<Said>(Lower);
        }

        private void Lower(Said m) => _heard.Add("a:" + m.Text);
    }

    private sealed class CapturingSpeaker : MessageActor
    {
        public CapturingSpeaker(int index, List<string> heard) => Receive<Said>(m => heard.Add(index + ":" + m.Text));
    }
}
