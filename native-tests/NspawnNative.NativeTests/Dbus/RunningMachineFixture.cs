namespace NspawnNative.NativeTests.Dbus;

/// <summary>
/// One running machine shared by the read-mostly tests of <see cref="MachineQueryTests"/>, started by the oracle
/// (machinectl). PrivateUsers=no: machined refuses BindMountMachine on a machine with a user namespace.
/// </summary>
public sealed class RunningMachineFixture : IAsyncLifetime
{
    public const string NspawnFile = TestMachine.RdmaNspawnFile + "\n[Exec]\nPrivateUsers=no\n";

    public TestMachine? Machine { get; private set; }

    public async ValueTask InitializeAsync()
    {
        if (!Guest.InVm)
            return;
        Machine = await TestMachine.CreateAsync("dbus-run", NspawnFile);
        await Machine.StartAsync();
    }

    public async ValueTask DisposeAsync()
    {
        if (Machine is not null)
            await Machine.DisposeAsync();
    }
}
