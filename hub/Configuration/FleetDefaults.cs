namespace EdgeNode.Hub.Configuration;

public static class FleetDefaults
{
    /// <summary>The tenant that exists from the first start; single-tenant hubs use only it.</summary>
    public const string DefaultTenant = "default";
}
