using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Tests.Support;
using EdgeNode.Link.Contracts;
using OpenQA.Selenium;

namespace EdgeNode.Hub.Tests.Dashboard;

/// <summary>The dashboard in a real headless Chromium against a running hub.</summary>
public sealed class DashboardBrowserTests : IAsyncLifetime
{
    private TestHub _hub = null!;
    private HeadlessChromium _browser = null!;
    private string _onlineId = "";

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync(network: false);
        _hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, Support.Specs.Plant(), "test");
        var (online, creds) = await Fleets.OnboardAsync(_hub, "hw-online", "plant-a/line1/cell1");
        _onlineId = creds.DeviceId;
        await online.HeartbeatAndSyncAsync();
        await online.HeartbeatAsync();
        var (degraded, _) = await Fleets.OnboardAsync(_hub, "hw-degraded", "plant-a/line1/cell2");
        await degraded.HeartbeatAsync(UnitState.Degraded, "capacity-short:camera");
        await Fleets.EnrollAgent(_hub, "hw-new").EnrollAsync(slotHint: "plant-b/line1/cell1");
        _browser = new HeadlessChromium();
    }

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        await _hub.DisposeAsync();
    }

    private IReadOnlyCollection<IWebElement> DeviceRows => _browser.Driver.FindElements(By.CssSelector("#devices tbody tr"));

    [Fact]
    public void Dashboard_SummaryFilterApproveDevicePageIdentify_Work()
    {
        var driver = _browser.Driver;
        driver.Navigate().GoToUrl(new Uri(_hub.Http, "/#token=" + _hub.Token));

        // Fleet summary.
        _browser.Until(_ => _browser.Text("count-online") == "1", "1 online device");
        Assert.Equal(("2", "1", "0", "1"), (_browser.Text("count-total"), _browser.Text("count-degraded"), _browser.Text("count-offline"), _browser.Text("count-pending")));
        _browser.Until(_ => DeviceRows.Count == 2, "2 device rows");

        // Filter by status, then by site.
        _browser.Select("filter-status", "degraded");
        _browser.Until(_ => DeviceRows.Count == 1 && DeviceRows.Single().GetAttribute("data-status") == "Degraded", "only the degraded device");
        _browser.Select("filter-status", "");
        _browser.Until(_ => driver.FindElements(By.CssSelector("#filter-site option[value='plant-b']")).Count == 1, "site plant-b in the filter");
        _browser.Select("filter-site", "plant-b");
        _browser.Until(_ => DeviceRows.Count == 0, "no device at plant-b yet");

        // Approve the pending unit into its hinted slot.
        var row = driver.FindElement(By.CssSelector("#enrollments tr[data-enrollment-id]"));
        Assert.Contains("hw-new", row.Text, StringComparison.Ordinal);
        Assert.Equal("plant-b/line1/cell1", row.FindElement(By.CssSelector("input.slot-input")).GetAttribute("value"));
        row.FindElement(By.CssSelector("button.approve")).Click();
        _browser.Until(_ => _browser.Text("count-pending") == "0" && DeviceRows.Count == 1, "the approved unit listed at plant-b");
        Assert.Equal("Unknown", DeviceRows.Single().GetAttribute("data-status"));
        var approved = _hub.Host.Fleet.ListDevices(OperatorScope.Admin, new DeviceFilter(Site: "plant-b")).Single();
        Assert.Equal(("hw-new", "plant-b/line1/cell1"), (approved.HardwareId, approved.Slot));

        // Device page: apps, last heartbeat, events; then identify.
        _browser.Select("filter-site", "");
        _browser.Until(_ => DeviceRows.Count == 3, "3 device rows");
        driver.FindElement(By.CssSelector($"#devices tr[data-device-id='{_onlineId}'] a.device-link")).Click();
        _browser.Until(_ => driver.FindElement(By.Id("device-page")).Displayed && driver.FindElements(By.CssSelector("#apps tr[data-app]")).Count == 2, "the device page with 2 apps");
        Assert.Equal("plant-a/line1/cell1", driver.FindElement(By.CssSelector("[data-field='Slot']")).Text);
        Assert.Equal("Online", _browser.Text("device-status"));
        Assert.Contains("Running", driver.FindElement(By.CssSelector("#apps tr[data-app='web']")).Text, StringComparison.Ordinal);
        Assert.NotEqual("never", driver.FindElement(By.CssSelector("[data-field='Last heartbeat']")).Text);
        Assert.Contains(driver.FindElements(By.CssSelector("#events tbody tr")), r => r.Text.Contains("StatusOnline", StringComparison.Ordinal));

        var seconds = driver.FindElement(By.Id("identify-seconds"));
        seconds.Clear();
        seconds.SendKeys("45");
        driver.FindElement(By.Id("identify")).Click();
        _browser.Until(_ => _browser.Text("action-result").Contains("queued", StringComparison.Ordinal), "the identify command queued");
        var command = Assert.Single(_hub.Host.Fleet.ListCommands(OperatorScope.Admin, _onlineId));
        Assert.Equal((CommandKind.Identify.ToString(), 45u), (command.Kind, command.DurationSeconds));
        _browser.Until(_ => driver.FindElements(By.CssSelector($"#commands tr[data-command-id='{command.Id}']")).Count == 1, "the command in the list");

        if (Environment.GetEnvironmentVariable("EDGENODE_DASHBOARD_SCREENSHOT") is { Length: > 0 } shot)
        {
            ((ITakesScreenshot)driver).GetScreenshot().SaveAsFile(shot);
        }
    }

    [Fact]
    public void Dashboard_WithoutToken_ShowsSignInAndWrongTokenIsRefused()
    {
        var driver = _browser.Driver;
        driver.Navigate().GoToUrl(_hub.Http);
        _browser.Until(_ => driver.FindElement(By.Id("login")).Displayed, "the sign-in form");
        driver.FindElement(By.Id("token")).SendKeys("enh_wrong");
        driver.FindElement(By.Id("login-button")).Click();
        _browser.Until(_ => _browser.Text("login-error").Contains("401", StringComparison.Ordinal), "the 401 message");
        Assert.False(driver.FindElement(By.Id("fleet-page")).Displayed);
    }
}
