namespace ConfigureWorkloadIdentity.Azure;

/// <summary>The endpoints of one Azure cloud: Resource Manager, the Entra ID authority, the ARM audience.</summary>
internal sealed record AzureCloud(string Name, Uri ResourceManager, Uri AuthorityHost, string ResourceManagerAudience)
{
    /// <summary>The public cloud.</summary>
    public static AzureCloud Public { get; } = new(
        "AzureCloud",
        new Uri("https://management.azure.com/"),
        new Uri("https://login.microsoftonline.com/"),
        "https://management.core.windows.net/");

    /// <summary>Azure US Government.</summary>
    public static AzureCloud UsGovernment { get; } = new(
        "AzureUSGovernment",
        new Uri("https://management.usgovcloudapi.net/"),
        new Uri("https://login.microsoftonline.us/"),
        "https://management.core.usgovcloudapi.net/");

    /// <summary>Azure operated by 21Vianet.</summary>
    public static AzureCloud China { get; } = new(
        "AzureChinaCloud",
        new Uri("https://management.chinacloudapi.cn/"),
        new Uri("https://login.chinacloudapi.cn/"),
        "https://management.core.chinacloudapi.cn/");

    /// <summary>The scope to request ARM tokens for.</summary>
    public string ResourceManagerScope => ResourceManagerAudience.TrimEnd('/') + "/.default";

    /// <summary>Finds a named cloud (case-insensitive); null when unknown.</summary>
    public static AzureCloud? Find(string name) =>
        new[] { Public, UsGovernment, China }.FirstOrDefault(
            c => string.Equals(c.Name, name, StringComparison.OrdinalIgnoreCase));
}
