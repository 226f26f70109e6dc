// Alerts over the app's own telemetry in the workspace (workspace-based Application Insights writes AppMetrics there).
// The queries read the meter 'WelkinTokenRefresher' (src/WelkinTokenRefresher.Core/Telemetry/RefreshMetrics.cs):
//   welkin.token.refreshes (counter; dimensions outcome, trigger, client), recorded for every refresh request and for
//   every client at every timer tick, not-due included;
//   welkin.token.remaining_lifetime (gauge, seconds, as last seen by each instance; dimension client).
// Which rule, why, and its timing: docs/deploy.md, "Alerts"; what to do when one fires: docs/operations.md.
// Each rule runs as its own system-assigned identity, which reads the workspace and nothing else.

param location string
param tags object
param actionGroupName string
param alertEmail string
param workspaceId string
param namePrefix string

@description('When this deployment started (ISO 8601): the heartbeat stays quiet for its first minutes, before the first tick can be in the workspace.')
param deploymentTime string

var roles = {
  logAnalyticsReader: '73c42c96-874c-492b-b04d-ab87d138a893'
}

// The failures of a refresh: every outcome but refreshed, joined, not-due and throttled (a refusal that called no one).
var failureOutcomes = ['welkin-failed', 'vault-failed', 'configuration-invalid', 'internal-error']

// Provision, code deployment, the first tick, metric export and ingestion take well under this after a deployment
// starts; a first tick later than that is a deployment that never refreshed.
var heartbeatGraceMinutes = 25

resource workspace 'Microsoft.OperationalInsights/workspaces@2023-09-01' existing = {
  name: last(split(workspaceId, '/'))
}

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

// The first failed refresh of a client, from the timer or on demand, alerts by that client's name: evaluated every
// minute over 5 minutes, it fires at most export (60 s) + ingestion (up to 3 min) + 1 minute after the failure, so a
// failure at the tick 10 minutes before expiry is known with about 4 minutes of token left (docs/deploy.md, "Alerts").
// A 1-minute rule cannot use search, union or take.
resource refreshFailed 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-refresh-failed'
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    displayName: 'Welkin token: a refresh failed'
    description: 'A Welkin token refresh failed (${join(failureOutcomes, ', ')}); the client keeps its current token until it expires. Runbook: docs/operations.md.'
    severity: 1
    enabled: true
    scopes: [workspaceId]
    evaluationFrequency: 'PT1M'
    windowSize: 'PT5M'
    // Tables of a new workspace appear with the first telemetry; validate the query at evaluation instead.
    skipQueryValidation: true
    autoMitigate: true
    criteria: {
      allOf: [
        {
          query: format(
            '''
AppMetrics
| where Name == "welkin.token.refreshes"
| where tostring(Properties.outcome) in ({0})
| project TimeGenerated, Client = tostring(Properties.client), Failures = Sum
''',
            join(map(failureOutcomes, o => '"${o}"'), ', ')
          )
          timeAggregation: 'Total'
          metricMeasureColumn: 'Failures'
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

// The heartbeat: every tick records an outcome for every client, not-due included, so 15 minutes (three ticks) without a
// scheduled outcome is a stopped app, a dead timer or lost telemetry, whatever the token's age. The query always returns
// one row, the count, so it does not depend on data being there; the row passes the filter only when the count is 0 and
// the deployment is older than the grace period: quiet before the first tick, yet "deployed, never refreshed" fires
// within 30 minutes of the deployment. The empty table keeps the query valid in a workspace that never got telemetry.
resource heartbeat 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-heartbeat'
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    displayName: 'Welkin token: no timer tick'
    description: 'The app recorded no scheduled refresh outcome in 15 minutes: it is stopped, its timer is not firing or its telemetry is lost. Runbook: docs/operations.md.'
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
          query: format(
            '''
let deployedAt = datetime({0});
union isfuzzy=true
    (datatable(TimeGenerated: datetime, Name: string, Sum: real, Properties: dynamic)[]),
    (AppMetrics)
| where Name == "welkin.token.refreshes" and tostring(Properties.trigger) == "Schedule"
| summarize Ticks = countif(Sum > 0)
| where Ticks == 0 and now() > deployedAt + {1}m
''',
            deploymentTime,
            heartbeatGraceMinutes
          )
          timeAggregation: 'Count'
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

// The token in the vault has expired (remaining lifetime <= 0) as seen by the freshest instance: each instance
// reports the lifetime of the token it last read, and an idle one may still hold the old token while the timer's
// instance has read a fresh one. So the rule takes the largest value of every instance per 5-minute bin (bins
// aligned to the window, so none is partial; every live instance reports about once a minute).
resource tokenExpired 'Microsoft.Insights/scheduledQueryRules@2023-12-01' = {
  name: '${namePrefix}-token-expired'
  location: location
  tags: tags
  identity: {
    type: 'SystemAssigned'
  }
  properties: {
    displayName: 'Welkin token: expired in Key Vault'
    description: 'The app reports that the Welkin token in a token vault has no lifetime left; consumers get 401s. Runbook: docs/operations.md.'
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

// A rule without an identity acts as whoever last edited it (in CI, azd's service principal); each of these reads
// the workspace as itself, with Log Analytics Reader there and nowhere else.
resource refreshFailedReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, refreshFailed.id, roles.logAnalyticsReader)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.logAnalyticsReader)
    principalId: refreshFailed.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource heartbeatReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, heartbeat.id, roles.logAnalyticsReader)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.logAnalyticsReader)
    principalId: heartbeat.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

resource tokenExpiredReader 'Microsoft.Authorization/roleAssignments@2022-04-01' = {
  name: guid(workspace.id, tokenExpired.id, roles.logAnalyticsReader)
  scope: workspace
  properties: {
    roleDefinitionId: subscriptionResourceId('Microsoft.Authorization/roleDefinitions', roles.logAnalyticsReader)
    principalId: tokenExpired.identity.principalId
    principalType: 'ServicePrincipal'
  }
}

output actionGroupId string = actionGroup.id
