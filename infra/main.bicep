// WelkinTokenRefresher: everything `azd up` deploys. Subscription scope so azd can create the
// resource group; every resource is a plain Bicep resource in ./modules (one module per concern).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name and the azd-env-name tag.')
param environmentName string

@minLength(1)
@description('Azure region of every resource (it must offer Flex Consumption).')
param location string

@secure()
@description('Welkin API client key (stored in the credentials vault).')
param welkinApiClient string

@secure()
@description('Welkin API client secret (stored in the credentials vault).')
param welkinSecret string

@description('Object ids of workloads that may read every token; they get Key Vault Secrets User on the token vault only.')
param consumerPrincipalIds array = []

// Plain arrays rather than user-defined types: those switch the compiled template to symbolic resource names.
@description('Named Welkin API clients besides the default one (README.md, "Several API clients"): { name, api?, tenant?, baseUrl?, tokenPath?, secretName? }; name is 1-40 lower-case letters and digits, not "default"; an unset value inherits the default client\'s; secretName defaults to welkin-api-token-{name}.')
param welkinClients array = []

@secure()
@description('Credentials of the named clients, keyed by client name: { "<name>": { "apiClient": "...", "secret": "..." } }.')
param welkinClientCredentials object = {}

@description('Consumers that may read only some clients\' tokens: { principalId, clients: [ names, "default" for the single-client token ] } (Key Vault Secrets User on those secrets). A token secret exists only after the app\'s first refresh of that client, so add a grant after it.')
param consumerGrants array = []

@description('E-mail address that receives alerts; empty creates the action group without receivers.')
param alertEmail string = ''

@description('Create an Event Grid system topic on the token vault (SecretNewVersionCreated for consumers).')
param enableTokenEvents bool = false

// A log alert's windowSize takes only 5, 10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440 or 2880 minutes; any
// other value fails the deployment. 5 is shorter than the timer tick, 2880 longer than anyone should wait.
@description('Minutes without a successful refresh before the staleness alert fires (a log alert window size).')
@allowed([10, 15, 30, 45, 60, 120, 180, 240, 300, 360, 1440])
param noRefreshAlertWindowMinutes int = 60

@description('Upper bound of Flex Consumption instances; the app is tiny, this only limits HTTP bursts.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 512

// App settings of the configuration table (issue 2), with the same defaults.
param welkinBaseUrl string = 'https://api.welkinhealth.com'
param welkinTokenPath string = '/auth/token'
param welkinTimeout string = '00:00:15'
param welkinMaxTokenRequestsPer5Minutes int = 10
param tokenSecretName string = 'welkin-api-token'
param refreshSchedule string = '0 */5 * * * *'
param refreshAfter string = '00:50:00'
param refreshBeforeExpiry string = '00:10:00'
param minForceInterval string = '00:01:00'

var resourceToken = toLower(uniqueString(subscription().id, environmentName, location))
var tags = { 'azd-env-name': environmentName }
var apiClientSecretName = 'welkin-api-client'
var apiSecretSecretName = 'welkin-api-secret'

// The token secret of every client, 'default' included; grants and outputs name clients by these keys.
var tokenSecretNames = union(
  { default: tokenSecretName },
  toObject(validatedClients, c => c.name, c => c.?secretName ?? 'welkin-api-token-${c.name}')
)

// The app also accepts hyphens, but a client name is part of its app setting names (Welkin__Clients__{name}__...),
// and App Service allows only letters, digits, periods and underscores there. ARM has no regex: a name is valid
// when splitting it on every allowed character leaves nothing.
var clientNameCharacters = [
  'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z'
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'
]
var clientNames = map(welkinClients, c => c.name)
var invalidClientNames = filter(
  clientNames,
  n => n == 'default' || empty(n) || length(n) > 40 || !empty(join(split(n, clientNameCharacters), ''))
)
var invalidApiClients = filter(welkinClients, c => !contains(['auth-token', 'api-clients'], c.?api ?? 'auth-token'))
var duplicateClientNames = union(filter(clientNames, n => length(filter(clientNames, m => m == n)) > 1), [])
var tokenSecretNameList = concat([tokenSecretName], map(welkinClients, c => c.?secretName ?? 'welkin-api-token-${c.name}'))
var duplicateTokenSecretNames = union(filter(tokenSecretNameList, n => length(filter(tokenSecretNameList, m => m == n)) > 1), [])
var unknownGrantClients = filter(flatten(map(consumerGrants, g => g.clients)), n => !contains(tokenSecretNames, n))

// Every problem is named in one message that fails the deployment before anything is created.
var clientProblems = concat(
  empty(invalidClientNames)
    ? []
    : ['invalid client name(s) ${join(invalidClientNames, ', ')}: use 1-40 lower-case letters and digits (App Service app setting names take no hyphens), and not "default"'],
  empty(invalidApiClients)
    ? []
    : ['unknown api of client(s) ${join(map(invalidApiClients, c => c.name), ', ')}: use auth-token or api-clients'],
  empty(duplicateClientNames) ? [] : ['duplicate client name(s) ${join(duplicateClientNames, ', ')}'],
  empty(duplicateTokenSecretNames)
    ? []
    : ['token secret name(s) ${join(duplicateTokenSecretNames, ', ')} used by more than one client: set distinct secretName values']
)
var validatedClients = empty(clientProblems) ? welkinClients : fail('welkinClients: ${join(clientProblems, '; ')}')
var validatedGrants = empty(unknownGrantClients)
  ? flatten(map(consumerGrants, g => map(g.clients, c => { principalId: g.principalId, secretName: tokenSecretNames[c] })))
  : fail('consumerGrants: unknown client(s) ${join(unknownGrantClients, ', ')}; use "default" or a name of welkinClients')

resource resourceGroup 'Microsoft.Resources/resourceGroups@2024-03-01' = {
  name: 'rg-${environmentName}'
  location: location
  tags: tags
}

module monitoring 'modules/monitoring.bicep' = {
  name: 'monitoring'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    logAnalyticsName: 'log-${resourceToken}'
    applicationInsightsName: 'appi-${resourceToken}'
  }
}

module storage 'modules/storage.bicep' = {
  name: 'storage'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    storageAccountName: 'st${resourceToken}'
    deploymentContainerName: 'app-package'
    locksContainerName: 'welkin-token-refresher-locks'
  }
}

module identity 'modules/identity.bicep' = {
  name: 'identity'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    identityName: 'id-${resourceToken}'
  }
}

module vaults 'modules/vaults.bicep' = {
  name: 'vaults'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    tokenVaultName: 'kvt-${resourceToken}'
    credentialsVaultName: 'kvc-${resourceToken}'
    workspaceId: monitoring.outputs.workspaceId
    apiClientSecretName: apiClientSecretName
    apiSecretSecretName: apiSecretSecretName
    welkinApiClient: welkinApiClient
    welkinSecret: welkinSecret
    welkinClientNames: map(validatedClients, c => c.name)
    welkinClientCredentials: welkinClientCredentials
  }
}

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: resourceGroup
  params: {
    appPrincipalId: identity.outputs.principalId
    storageAccountName: storage.outputs.storageAccountName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    tokenVaultName: vaults.outputs.tokenVaultName
    credentialsVaultName: vaults.outputs.credentialsVaultName
    consumerPrincipalIds: consumerPrincipalIds
  }
}

module consumerGrantsModule 'modules/consumergrants.bicep' = {
  name: 'consumer-grants'
  scope: resourceGroup
  params: {
    tokenVaultName: vaults.outputs.tokenVaultName
    consumerSecretGrants: validatedGrants
  }
}

module functionApp 'modules/functionapp.bicep' = {
  name: 'functionapp'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    planName: 'plan-${resourceToken}'
    functionAppName: 'func-${resourceToken}'
    identityId: identity.outputs.identityId
    identityClientId: identity.outputs.clientId
    deploymentContainerUrl: storage.outputs.deploymentContainerUrl
    blobEndpoint: storage.outputs.blobEndpoint
    tableEndpoint: storage.outputs.tableEndpoint
    applicationInsightsConnectionString: monitoring.outputs.applicationInsightsConnectionString
    workspaceId: monitoring.outputs.workspaceId
    maximumInstanceCount: maximumInstanceCount
    instanceMemoryMB: instanceMemoryMB
    welkinCredentialUris: vaults.outputs.welkinCredentialUris
    welkinClients: map(validatedClients, c => union(c, { secretName: tokenSecretNames[c.name] }))
    welkinClientCredentialUris: vaults.outputs.welkinClientCredentialUris
    tokenVaultUri: vaults.outputs.tokenVaultUri
    tokenSecretName: tokenSecretName
    welkinBaseUrl: welkinBaseUrl
    welkinTokenPath: welkinTokenPath
    welkinTimeout: welkinTimeout
    welkinMaxTokenRequestsPer5Minutes: welkinMaxTokenRequestsPer5Minutes
    refreshSchedule: refreshSchedule
    refreshAfter: refreshAfter
    refreshBeforeExpiry: refreshBeforeExpiry
    minForceInterval: minForceInterval
  }
  // The app must not start (and cache failed Key Vault references or storage errors) before its roles exist.
  dependsOn: [rbac]
}

module alerts 'modules/alerts.bicep' = {
  name: 'alerts'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    actionGroupName: 'ag-${resourceToken}'
    alertEmail: alertEmail
    workspaceId: monitoring.outputs.workspaceId
    namePrefix: 'alert-${resourceToken}'
    noRefreshWindowMinutes: noRefreshAlertWindowMinutes
  }
}

module tokenEvents 'modules/eventgrid.bicep' = if (enableTokenEvents) {
  name: 'token-events'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    topicName: 'evgt-${resourceToken}'
    tokenVaultId: vaults.outputs.tokenVaultId
  }
}

// azd reads these into the environment; none of them is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.functionAppName
output AZURE_FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
output TOKEN_VAULT_NAME string = vaults.outputs.tokenVaultName
output TOKEN_VAULT_URI string = vaults.outputs.tokenVaultUri
output TOKEN_SECRET_NAME string = tokenSecretName
output TOKEN_SECRET_NAMES object = tokenSecretNames
output CREDENTIALS_VAULT_NAME string = vaults.outputs.credentialsVaultName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output TOKEN_EVENTS_TOPIC_NAME string = enableTokenEvents ? tokenEvents!.outputs.topicName : ''
