namespace EdgeNode.BudgetGuard.Measurement;

public enum RelayDirection
{
    ToServer,
    ToClient,
}
