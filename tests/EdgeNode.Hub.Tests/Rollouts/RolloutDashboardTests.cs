using EdgeNode.Hub.Fleet;
using EdgeNode.Hub.Rollouts;
using EdgeNode.Hub.Tests.Dashboard;
using EdgeNode.Hub.Tests.Support;
using OpenQA.Selenium;

namespace EdgeNode.Hub.Tests.Rollouts;

/// <summary>The dashboard's rollout page in a real headless Chromium: list, wave-by-wave progress, pause/resume, roll back.</summary>
public sealed class RolloutDashboardTests : IAsyncLifetime
{
    private TestHub _hub = null!;
    private HeadlessChromium _browser = null!;
    private readonly List<RolloutUnit> _units = [];

    public async Task InitializeAsync()
    {
        _hub = await TestHub.StartAsync(network: false);
        _hub.Host.Fleet.ApplySpec(OperatorScope.Admin, null, LineSpec.Files("1.0", 4), "test");
        for (var i = 1; i <= 4; i++)
        {
            _units.Add(await RolloutUnit.OnboardAsync(_hub, LineSpec.Slot(i), i));
        }

        _hub.Host.Rollouts.Create(OperatorScope.Admin, new RolloutRequest(Files: LineSpec.Files("1.1", 4), Waves: ["1", "rest"], SoakSeconds: 60));
        _browser = new HeadlessChromium();
    }

    public async Task DisposeAsync()
    {
        _browser?.Dispose();
        await _hub.DisposeAsync();
    }

    private async Task PulseAsync(int times)
    {
        for (var i = 0; i < times; i++)
        {
            foreach (var u in _units)
            {
                await u.PulseAsync();
            }

            _hub.Time.Advance(TimeSpan.FromSeconds(10));
            _hub.Host.Rollouts.Tick();
        }
    }

    private string WaveState(int wave) => _browser.Driver.FindElement(By.CssSelector($"#waves tr[data-wave='{wave}']")).GetAttribute("data-state") ?? "";

    [Fact]
    public async Task RolloutPage_WavesSlotsPauseResumeRollback_Work()
    {
        var driver = _browser.Driver;
        driver.Navigate().GoToUrl(new Uri(_hub.Http, "/#token=" + _hub.Token));
        _browser.Until(_ => driver.FindElement(By.Id("fleet-page")).Displayed, "the fleet page");
        driver.FindElement(By.Id("rollouts-link")).Click();
        _browser.Until(_ => driver.FindElements(By.CssSelector("#rollouts tr[data-rollout-id='1'][data-state='Running']")).Count == 1, "rollout 1 listed as Running");

        driver.FindElement(By.CssSelector("#rollouts tr[data-rollout-id='1'] a.rollout-link")).Click();
        _browser.Until(_ => driver.FindElement(By.Id("rollout-page")).Displayed && driver.FindElements(By.CssSelector("#rollout-slots tr[data-slot]")).Count == 4, "the rollout page with 4 slots");
        Assert.Equal(("Soaking", "Pending"), (WaveState(1), WaveState(2)));
        Assert.Equal("Updating", driver.FindElement(By.CssSelector($"#rollout-slots tr[data-slot='{LineSpec.Slot(1)}']")).GetAttribute("data-state"));

        driver.FindElement(By.Id("pause")).Click();
        _browser.Until(_ => _browser.Text("rollout-state") == "Paused", "the rollout paused");
        Assert.Equal(RolloutState.Paused, _hub.Host.Rollouts.Get(OperatorScope.Admin, 1).State);
        driver.FindElement(By.Id("resume")).Click();
        _browser.Until(_ => _browser.Text("rollout-state") == "Running", "the rollout running again");

        await PulseAsync(8); // the canary applies, stays healthy through the 60 s soak; wave 2 starts
        _browser.Until(_ => WaveState(1) == "Passed" && WaveState(2) == "Soaking", "wave 1 passed and wave 2 soaking (page refresh)");

        driver.FindElement(By.Id("rollback")).Click();
        _browser.Until(_ => _browser.Text("rollout-state") == "RolledBack", "the rollout rolled back");
        _browser.Until(_ => driver.FindElements(By.CssSelector("#rollout-slots tr[data-state='RolledBack']")).Count == 4, "every slot rolled back");
        Assert.All(_units, u => Assert.Equal(1UL, _hub.Host.Fleet.GetSlot(OperatorScope.Admin, u.Slot).CurrentGeneration));
    }
}
