// Alerts over the app's own telemetry in the workspace (workspace-based Application Insights writes
// AppMetrics there). The queries read the Meter 'WelkinTokenRefresher':
//   welkin.token.refreshes (counter, dimension 'outcome': 'refreshed' once per token written to the vault,
//   'joined' for callers that shared another call's refresh, failures once per attempt),
//   welkin.token.remaining_lifetime (gauge, seconds, as last seen by each instance).
// Timing and its reasoning: README.md, "Alerts".

param location string
param tags object
param actionGroupName string
param alertEmail string
param workspaceId string
param namePrefix string

@description('Minutes without a successful refresh before the staleness alert fires.')
param noRefreshWindowMinutes int

resource actionGroup 'Microsoft.Insights/actionGroups@2023-01-01' = {
  name: actionGroupName
  location: 'global'
  tags: tags
  properties: {
    groupShortName: 'welkintoken'
    enabled: true
    emailReceivers: empty(alertEmail)
      ? []
      : [
          {
            name: 'operator'
            emailAddress: alertEmail
            useCommonAlertSchema: true
          }
        ]
  }
}

// Absence alert: no 'refreshed' outcome at all in the window, for the whole app (not split by client: a client
// that reports nothing has no series to split on; a single client's trouble shows in the per-client rules below). Catches a stopped app or broken
// telemetry, where no failure is ever reported. 'joined' never counts: a storm of on-demand calls that
// shared one refresh (or fetched nothing) must not look like many successes.
resource noSuccessfulRefresh 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-no-successful-refresh'
  location: location
  tags: tags
  properties: {
    displayName: 'Welkin token: no successful refresh'
    description: 'No successful Welkin token refresh was recorded in the window; the token in the vault will expire.'
    severity: 1
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT${noRefreshWindowMinutes}M'
    // Tables of a new workspace appear with the first telemetry; validate the query at evaluation instead.
    skipQueryValidation: true
    autoMitigate: true
    criteria: {
      allOf: [
        {
          // AppMetrics exists only once telemetry has arrived; the empty datatable keeps the query valid
          // without it, so lost telemetry fires this rule instead of failing its evaluation.
          query: '''
union isfuzzy=true
    (datatable(TimeGenerated: datetime, Name: string, Sum: real, Properties: dynamic)[]),
    (AppMetrics)
| where Name == "welkin.token.refreshes" and tostring(Properties.outcome) == "refreshed"
| where Sum > 0
'''
          timeAggregation: 'Count'
          operator: 'LessThan'
          threshold: 1
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

// Two or more failed refreshes (Welkin or Key Vault) within 15 minutes, from the timer or on demand.
resource refreshFailures 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-refresh-failures'
  location: location
  tags: tags
  properties: {
    displayName: 'Welkin token: refreshes failing'
    description: 'Two or more Welkin token refreshes failed (welkin-failed or vault-failed) within 15 minutes.'
    severity: 1
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT15M'
    skipQueryValidation: true
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''
AppMetrics
| where Name == "welkin.token.refreshes" and tostring(Properties.outcome) in ("welkin-failed", "vault-failed")
| project TimeGenerated, Client = tostring(Properties.client), Failures = Sum
'''
          timeAggregation: 'Total'
          metricMeasureColumn: 'Failures'
          // One alert per Welkin API client: a failing client alerts by name, and two clients' single failures do not add up.
          dimensions: [
            {
              name: 'Client'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThanOrEqual'
          threshold: 2
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

// The token in the vault has expired (remaining lifetime <= 0) as seen by the freshest instance: each instance
// reports the lifetime of the token it last read, and an idle one may still hold the old token while the timer's
// instance has read a fresh one. So the rule takes the largest value of every instance per 5-minute bin (bins
// aligned to the window, so none is partial; every live instance reports about once a minute).
resource tokenExpired 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-token-expired'
  location: location
  tags: tags
  properties: {
    displayName: 'Welkin token: expired in Key Vault'
    description: 'The app reports that the Welkin token in the token vault has no lifetime left; consumers get 401s.'
    severity: 0
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT5M'
    windowSize: 'PT10M'
    skipQueryValidation: true
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: '''
AppMetrics
| where Name == "welkin.token.remaining_lifetime"
| summarize FreshestRemainingSeconds = max(Max) by Client = tostring(Properties.client), bin_at(TimeGenerated, 5m, ago(10m))
| where FreshestRemainingSeconds <= 0
'''
          timeAggregation: 'Count'
          // One alert per Welkin API client whose token expired.
          dimensions: [
            {
              name: 'Client'
              operator: 'Include'
              values: ['*']
            }
          ]
          operator: 'GreaterThan'
          threshold: 0
          failingPeriods: {
            numberOfEvaluationPeriods: 1
            minFailingPeriodsToAlert: 1
          }
        }
      ]
    }
    actions: {
      actionGroups: [actionGroup.id]
    }
  }
}

output actionGroupId string = actionGroup.id
