namespace EdgeNode.Link.Contracts;

/// <summary>Packs an app's phase and restart count into one varint for <see cref="Heartbeat.AppStates"/>.</summary>
public static class AppStateCode
{
    public static uint Pack(AppPhase phase, uint restarts) => (uint)phase | (Math.Min(restarts, 0x0FFF_FFFFu) << 4);

    public static AppPhase Phase(uint code) => (AppPhase)(code & 0xF);

    public static uint Restarts(uint code) => code >> 4;
}
