// An Azure Monitor workbook over the app's telemetry in the workspace, per client (a Client picker, all by default):
// - the token's remaining lifetime over time, with the Refresh:RefreshBeforeExpiry line (10 minutes by default);
// - refresh outcomes per hour, by outcome (counter welkin.token.refreshes);
// - Welkin token requests per 5 minutes (log events 1010/1011, one per attempt), against the client's ceiling and
//   Welkin's 100;
// - Welkin's answer time, p50 and p95 (event 1010's ElapsedMilliseconds);
// - the latest failure categories (events 2001, 2002, 2004, 2005).
// Metric names, dimensions and event ids are the app's own (MetricsContractTests checks them against the code).

param location string
param tags object
param workbookName string
param workspaceId string

@description('{ client, ceiling } per client: the MaxTokenRequestsPer5Minutes in force for it.')
param clientCeilings array

@description('Refresh:RefreshBeforeExpiry (a time span, e.g. 00:10:00): the line on the lifetime chart.')
param refreshBeforeExpiry string

// Every panel keeps the clients the picker selects; '*' is "all".
var clientFilter = '| where "*" in ({Client}) or Client in ({Client})'
var ceilingRows = join(map(clientCeilings, c => '"${c.client}", ${c.ceiling}'), ', ')

var lifetimeQuery = '''
let lifetime = AppMetrics
| where Name == "welkin.token.remaining_lifetime"
| extend Client = tostring(Properties.client)
{0}
| summarize RemainingMinutes = max(Max) / 60.0 by Series = Client, bin(TimeGenerated, 5m);
lifetime
| union (lifetime | distinct TimeGenerated | extend Series = "refresh before expiry", RemainingMinutes = totimespan("{1}") / 1m)
'''

var outcomesQuery = '''
AppMetrics
| where Name == "welkin.token.refreshes"
| extend Client = tostring(Properties.client), Outcome = tostring(Properties.outcome)
{0}
| summarize Refreshes = sum(Sum) by Outcome, bin(TimeGenerated, 1h)
'''

var requestsQuery = '''
let ceilings = datatable(Client: string, Ceiling: long) [{1}];
let requests = AppTraces
| where tostring(Properties.EventId) in ("1010", "1011")
| extend Client = tostring(Properties.Client)
{0}
| summarize Requests = count() by Client, bin(TimeGenerated, 5m);
requests
| project TimeGenerated, Series = Client, Value = todouble(Requests)
| union (requests | lookup kind=inner ceilings on Client | project TimeGenerated, Series = strcat(Client, " ceiling"), Value = todouble(Ceiling))
| union (requests | distinct TimeGenerated | project TimeGenerated, Series = "Welkin blocks above", Value = 100.0)
'''

var latencyQuery = '''
let answers = AppTraces
| where tostring(Properties.EventId) == "1010"
| extend Client = tostring(Properties.Client), Milliseconds = todouble(Properties.ElapsedMilliseconds)
{0}
| summarize P50 = percentile(Milliseconds, 50), P95 = percentile(Milliseconds, 95) by Client, bin(TimeGenerated, 1h);
answers
| project TimeGenerated, Series = strcat(Client, " p50"), Milliseconds = P50
| union (answers | project TimeGenerated, Series = strcat(Client, " p95"), Milliseconds = P95)
'''

var failuresQuery = '''
AppTraces
| where tostring(Properties.EventId) in ("2001", "2002", "2004", "2005")
| extend Client = tostring(Properties.Client), Event = tostring(Properties.EventId)
| extend Category = case(Event == "2004", "configuration-invalid", Event == "2005", "internal-error", tostring(Properties.Category))
{0}
| summarize arg_max(TimeGenerated, Message), Failures = count() by Client, Category
| project LastSeen = TimeGenerated, Client, Category, Failures, LastMessage = Message
| order by LastSeen desc
'''

var logsPanel = {
  queryType: 0
  resourceType: 'microsoft.operationalinsights/workspaces'
  crossComponentResources: [workspaceId]
  timeContextFromParameter: 'TimeRange'
}

var content = {
  version: 'Notebook/1.0'
  items: [
    {
      type: 1
      name: 'about'
      content: {
        json: '## Welkin token refresher\nEach client\'s token, refreshes and Welkin calls. Alerts and what to do: docs/operations.md in the repository.'
      }
    }
    {
      type: 9
      name: 'parameters'
      content: {
        version: 'KqlParameterItem/1.0'
        parameters: [
          {
            id: guid(workbookName, 'TimeRange')
            version: 'KqlParameterItem/1.0'
            name: 'TimeRange'
            label: 'Time range'
            type: 4
            isRequired: true
            value: {
              durationMs: 86400000
            }
            typeSettings: {
              selectableValues: [
                { durationMs: 3600000 }
                { durationMs: 14400000 }
                { durationMs: 86400000 }
                { durationMs: 604800000 }
                { durationMs: 2592000000 }
              ]
              allowCustom: true
            }
          }
          union(logsPanel, {
            id: guid(workbookName, 'Client')
            version: 'KqlParameterItem/1.0'
            name: 'Client'
            type: 2
            multiSelect: true
            quote: '"'
            delimiter: ','
            query: 'AppMetrics\n| where Name == "welkin.token.refreshes"\n| distinct Client = tostring(Properties.client)\n| order by Client asc'
            value: ['value::all']
            typeSettings: {
              additionalResourceOptions: ['value::all']
              selectAllValue: '*'
              showDefault: false
            }
          })
        ]
      }
    }
    {
      type: 3
      name: 'remaining-lifetime'
      content: union(logsPanel, {
        version: 'KqlItem/1.0'
        title: 'Token lifetime left (minutes), with the refresh-before-expiry line'
        query: format(lifetimeQuery, clientFilter, refreshBeforeExpiry)
        visualization: 'timechart'
        size: 0
      })
    }
    {
      type: 3
      name: 'outcomes'
      content: union(logsPanel, {
        version: 'KqlItem/1.0'
        title: 'Refresh outcomes per hour'
        query: format(outcomesQuery, clientFilter)
        visualization: 'barchart'
        size: 0
      })
    }
    {
      type: 3
      name: 'token-requests'
      content: union(logsPanel, {
        version: 'KqlItem/1.0'
        title: 'Welkin token requests per 5 minutes, against each client\'s ceiling and Welkin\'s 100'
        query: format(requestsQuery, clientFilter, ceilingRows)
        visualization: 'timechart'
        size: 0
      })
    }
    {
      type: 3
      name: 'latency'
      content: union(logsPanel, {
        version: 'KqlItem/1.0'
        title: 'Welkin answer time (ms), p50 and p95 per hour'
        query: format(latencyQuery, clientFilter)
        visualization: 'timechart'
        size: 0
      })
    }
    {
      type: 3
      name: 'failures'
      content: union(logsPanel, {
        version: 'KqlItem/1.0'
        title: 'Latest failure categories'
        query: format(failuresQuery, clientFilter)
        visualization: 'table'
        size: 0
      })
    }
  ]
  fallbackResourceIds: [workspaceId]
}

resource workbook 'Microsoft.Insights/workbooks@2023-06-01' = {
  name: workbookName
  location: location
  tags: tags
  kind: 'shared'
  properties: {
    displayName: 'Welkin token refresher'
    category: 'workbook'
    sourceId: workspaceId
    serializedData: string(content)
  }
}

output workbookId string = workbook.id
