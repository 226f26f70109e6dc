// WelkinTokenRefresher: everything `azd up` deploys. Subscription scope so azd can create the
// resource group; every resource is a plain Bicep resource in ./modules (one module per concern).
targetScope = 'subscription'

@minLength(1)
@maxLength(64)
@description('azd environment name; part of every resource name and the azd-env-name tag.')
param environmentName string

// The regions of Microsoft's Flex Consumption quickstart for .NET isolated 10.0 (Azure-Samples/functions-quickstart-dotnet-azd,
// infra/main.bicep at fe74255), without its canary region eastus2euap. docs/deploy.md, "Prerequisites", says how to refresh it.
@minLength(1)
@description('Azure region of every resource: one where Flex Consumption runs dotnet-isolated 10.0.')
@allowed([
  'australiaeast'
  'australiasoutheast'
  'brazilsouth'
  'canadacentral'
  'centralindia'
  'centralus'
  'eastasia'
  'eastus'
  'eastus2'
  'francecentral'
  'germanywestcentral'
  'italynorth'
  'japaneast'
  'koreacentral'
  'northcentralus'
  'northeurope'
  'norwayeast'
  'southafricanorth'
  'southcentralus'
  'southeastasia'
  'southindia'
  'spaincentral'
  'swedencentral'
  'uaenorth'
  'uksouth'
  'ukwest'
  'westcentralus'
  'westeurope'
  'westus'
  'westus2'
  'westus3'
])
@metadata({
  azd: {
    type: 'location'
  }
})
param location string

@description('Whether the deployment has the default client (the Welkin section). false: named clients only, and the app has no client named default.')
param defaultClientEnabled bool = true

// Credentials are written by a person, once (docs/deploy.md, "Write or rotate a Welkin credential"); an empty value leaves the vault's secret as it is.
@secure()
@description('Welkin API client key of the default client. Empty: the credentials vault\'s welkin-api-client is left as it is.')
param welkinApiClient string = ''

@secure()
@description('Welkin API client secret of the default client. Empty: the credentials vault\'s welkin-api-secret is left as it is.')
param welkinSecret string = ''

@description('Object ids of workloads that may read every token; they get Key Vault Secrets User on every token vault.')
param consumerPrincipalIds array = []

// Plain arrays rather than user-defined types: those switch the compiled template to symbolic resource names.
@description('Named Welkin API clients besides the default one (docs/configuration.md, "Several API clients"): { name, api?, tenant?, baseUrl?, tokenPath?, secretName?, timeout?, maxTokenRequestsPer5Minutes? }; name is 1-40 lower-case letters and digits, not "default"; an unset value inherits the default client\'s; secretName defaults to welkin-api-token-{name}. Each gets a token vault of its own.')
param welkinClients array = []

@secure()
@description('Credentials of the named clients, keyed by client name: { "<name>": { "apiClient": "...", "secret": "..." } }. A missing or empty value leaves that vault secret as it is.')
param welkinClientCredentials object = {}

@description('Consumers that may read only some clients\' tokens: { principalId, clients: [ names, "default" for the default client ] } (Key Vault Secrets User on those clients\' token vaults).')
param consumerGrants array = []

@description('E-mail address that receives alerts; empty creates the action group without receivers.')
param alertEmail string = ''

@description('Create an Event Grid system topic on each token vault (SecretNewVersionCreated for consumers).')
param enableTokenEvents bool = false

@description('Private networking: a virtual network for the app\'s outbound traffic, private endpoints for every vault and the storage account, and no public network access to them.')
param vnetEnabled bool = false

@description('Address space of the virtual network (with vnetEnabled); the app and the private endpoints get its first two /24 subnets after the first. Pick a range that does not overlap networks you peer it with.')
param vnetAddressPrefix string = '10.0.0.0/16'

@description('When this deployment runs; the heartbeat alert stays quiet until the first tick can have reached the workspace. Leave the default.')
param deploymentTime string = utcNow()

@description('Upper bound of Flex Consumption instances; the app is tiny, this only limits HTTP bursts.')
@minValue(1)
@maxValue(1000)
param maximumInstanceCount int = 40

@allowed([512, 2048, 4096])
param instanceMemoryMB int = 512

// App settings of the configuration table, with the same defaults. welkinApi and welkinTenant are written only when set.
@description('Token API of the default client (and what named clients inherit): auth-token or api-clients; empty leaves the app\'s default, auth-token.')
@allowed(['', 'auth-token', 'api-clients'])
param welkinApi string = ''

@description('Tenant (customer space) of the api-clients API, for the default client and what named clients inherit.')
param welkinTenant string = ''

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

// The token secret of every client; grants and outputs name clients by these keys.
var tokenSecretNames = union(
  defaultClientEnabled ? { default: tokenSecretName } : {},
  toObject(validatedClients, c => c.name, c => c.?secretName ?? 'welkin-api-token-${c.name}')
)

// One token vault per client, so every role is at vault scope and exists before the app's first refresh. The default
// client keeps the vault it always had; a named client's is named from the environment and its name, within Key Vault's
// 3-24 letters, digits and hyphens: 'kvt', up to 7 characters of the name, '-', and a 13-character hash.
var tokenVaults = concat(
  defaultClientEnabled ? [{ client: 'default', vaultName: 'kvt-${resourceToken}', secretName: tokenSecretName }] : [],
  map(validatedClients, c => {
    client: c.name
    vaultName: 'kvt${take(c.name, 7)}-${uniqueString(resourceToken, c.name)}'
    secretName: tokenSecretNames[c.name]
  })
)

// ARM has no regex: a value is valid when splitting it on every allowed character leaves nothing.
var lowerCaseAndDigits = [
  'a', 'b', 'c', 'd', 'e', 'f', 'g', 'h', 'i', 'j', 'k', 'l', 'm', 'n', 'o', 'p', 'q', 'r', 's', 't', 'u', 'v', 'w', 'x', 'y', 'z'
  '0', '1', '2', '3', '4', '5', '6', '7', '8', '9'
]
// Key Vault's rule for a secret name: 1-127 letters, digits and hyphens.
var secretNameCharacters = concat(lowerCaseAndDigits, [
  'A', 'B', 'C', 'D', 'E', 'F', 'G', 'H', 'I', 'J', 'K', 'L', 'M', 'N', 'O', 'P', 'Q', 'R', 'S', 'T', 'U', 'V', 'W', 'X', 'Y', 'Z'
  '-'
])
var clientSettingNames = ['name', 'api', 'tenant', 'baseUrl', 'tokenPath', 'secretName', 'timeout', 'maxTokenRequestsPer5Minutes']

// The app also accepts hyphens, but a client name is part of its app setting names (Welkin__Clients__{name}__...),
// and App Service allows only letters, digits, periods and underscores there. A name is also part of the credentials'
// secret names (welkin-api-client-{name}), which these rules keep within Key Vault's.
var clientNames = map(welkinClients, c => c.?name ?? '')
var invalidClientNames = filter(
  clientNames,
  n => n == 'default' || empty(n) || length(n) > 40 || !empty(join(split(n, lowerCaseAndDigits), ''))
)
var unknownClientSettings = union(flatten(map(welkinClients, c => filter(objectKeys(c), k => !contains(clientSettingNames, k)))), [])
var invalidApiClients = filter(welkinClients, c => !contains(['auth-token', 'api-clients'], c.?api ?? 'auth-token'))
// api-clients needs a tenant, the client's own or the one it inherits.
var clientsWithoutTenant = filter(
  welkinClients,
  c => (c.?api ?? welkinApi) == 'api-clients' && empty(c.?tenant ?? welkinTenant)
)
var duplicateClientNames = union(filter(clientNames, n => length(filter(clientNames, m => m == n)) > 1), [])
var tokenSecretNameList = concat(
  defaultClientEnabled ? [tokenSecretName] : [],
  map(welkinClients, c => c.?secretName ?? 'welkin-api-token-${c.?name ?? ''}')
)
var invalidTokenSecretNames = filter(
  tokenSecretNameList,
  n => empty(n) || length(n) > 127 || !empty(join(split(n, secretNameCharacters), ''))
)
// Key Vault's secret names are case-insensitive, and so is the comparison.
var duplicateTokenSecretNames = union(filter(tokenSecretNameList, n => length(filter(tokenSecretNameList, m => m =~ n)) > 1), [])
var unknownGrantClients = filter(flatten(map(consumerGrants, g => g.clients)), n => !contains(tokenSecretNames, n))

// Every problem is named in one message that fails the deployment before anything is created.
var parameterProblems = concat(
  defaultClientEnabled || !empty(welkinClients)
    ? []
    : ['welkinClients: no client at all: keep defaultClientEnabled=true or name at least one client in welkinClients'],
  defaultClientEnabled && welkinApi == 'api-clients' && empty(welkinTenant)
    ? ['welkinTenant: the default client uses the api-clients API (welkinApi), which needs a tenant: set welkinTenant']
    : [],
  empty(invalidClientNames)
    ? []
    : ['welkinClients: invalid client name(s) ${join(invalidClientNames, ', ')}: use 1-40 lower-case letters and digits (App Service app setting names take no hyphens), and not "default"'],
  empty(unknownClientSettings)
    ? []
    : ['welkinClients: unknown client setting(s) ${join(unknownClientSettings, ', ')}: use ${join(clientSettingNames, ', ')}'],
  empty(invalidApiClients)
    ? []
    : ['welkinClients: unknown api of client(s) ${join(map(invalidApiClients, c => c.?name ?? ''), ', ')}: use auth-token or api-clients'],
  empty(clientsWithoutTenant)
    ? []
    : ['welkinClients: client(s) ${join(map(clientsWithoutTenant, c => c.?name ?? ''), ', ')} use the api-clients API without a tenant: set their tenant, or welkinTenant'],
  empty(duplicateClientNames) ? [] : ['welkinClients: duplicate client name(s) ${join(duplicateClientNames, ', ')}'],
  empty(invalidTokenSecretNames)
    ? []
    : ['tokenSecretName/welkinClients: invalid token secret name(s) ${join(invalidTokenSecretNames, ', ')}: Key Vault takes 1-127 letters, digits and hyphens'],
  empty(duplicateTokenSecretNames)
    ? []
    : ['welkinClients: token secret name(s) ${join(duplicateTokenSecretNames, ', ')} used by more than one client: set distinct secretName values']
)
var validatedClients = empty(parameterProblems) ? welkinClients : fail(join(parameterProblems, '; '))

// Grants are per client and land on that client's vault; a principal listed twice for one vault gets one assignment.
var tokenVaultByClient = toObject(tokenVaults, v => v.client, v => v.vaultName)
var validatedGrants = empty(unknownGrantClients)
  ? flatten(map(consumerGrants, g => map(g.clients, c => { principalId: g.principalId, vaultName: tokenVaultByClient[c] })))
  : fail('consumerGrants: unknown client(s) ${join(unknownGrantClients, ', ')}; use ${defaultClientEnabled ? '"default" or ' : ''}a name of welkinClients')
var tokenVaultReaders = union(
  flatten(map(consumerPrincipalIds, p => map(tokenVaults, v => { principalId: p, vaultName: v.vaultName }))),
  validatedGrants
)

// Credentials checked only where they are known (at deployment; secure values are never shown in a message).
var credentialClients = objectKeys(welkinClientCredentials)
var unknownCredentialClients = filter(credentialClients, n => !contains(clientNames, n))
var credentialProblems = concat(
  defaultClientEnabled || (empty(welkinApiClient) && empty(welkinSecret))
    ? []
    : ['welkinApiClient or welkinSecret is set, but defaultClientEnabled is false: there is no default client to use them'],
  empty(unknownCredentialClients)
    ? []
    : ['welkinClientCredentials names client(s) ${join(unknownCredentialClients, ', ')} that welkinClients does not']
)
var credentialsChecked = empty(credentialProblems) ? true : fail('credentials: ${join(credentialProblems, '; ')}')

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

module network 'modules/network.bicep' = if (vnetEnabled) {
  name: 'network'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    vnetName: 'vnet-${resourceToken}'
    addressPrefix: vnetAddressPrefix
    natGatewayName: 'ng-${resourceToken}'
    publicIpName: 'pip-ng-${resourceToken}'
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
    publicNetworkAccess: !vnetEnabled
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
    tokenVaultNames: map(tokenVaults, v => v.vaultName)
    credentialsVaultName: 'kvc-${resourceToken}'
    workspaceId: monitoring.outputs.workspaceId
    publicNetworkAccess: !vnetEnabled
    apiClientSecretName: apiClientSecretName
    apiSecretSecretName: apiSecretSecretName
    welkinApiClient: welkinApiClient
    welkinSecret: welkinSecret
    welkinClientNames: map(validatedClients, c => c.name)
    welkinClientCredentials: credentialsChecked ? welkinClientCredentials : {}
  }
}

// Every vault and the storage account (blob and table: the host's and the lease's; the app has no queue) only through
// private endpoints in the virtual network, each registered in its private DNS zone.
var privateEndpointTargets = vnetEnabled
  ? concat(
      map(tokenVaults, v => { name: 'pe-${v.vaultName}', target: resourceId(subscription().subscriptionId, resourceGroup.name, 'Microsoft.KeyVault/vaults', v.vaultName), groupId: 'vault' }),
      [
        { name: 'pe-kvc-${resourceToken}', target: resourceId(subscription().subscriptionId, resourceGroup.name, 'Microsoft.KeyVault/vaults', 'kvc-${resourceToken}'), groupId: 'vault' }
        { name: 'pe-st${resourceToken}-blob', target: resourceId(subscription().subscriptionId, resourceGroup.name, 'Microsoft.Storage/storageAccounts', 'st${resourceToken}'), groupId: 'blob' }
        { name: 'pe-st${resourceToken}-table', target: resourceId(subscription().subscriptionId, resourceGroup.name, 'Microsoft.Storage/storageAccounts', 'st${resourceToken}'), groupId: 'table' }
      ]
    )
  : []

module privateEndpoints 'modules/privateendpoint.bicep' = [
  for endpoint in privateEndpointTargets: {
    name: endpoint.name
    scope: resourceGroup
    params: {
      location: location
      tags: tags
      name: endpoint.name
      subnetId: network!.outputs.privateEndpointSubnetId
      targetId: endpoint.target
      groupId: endpoint.groupId
      privateDnsZoneId: network!.outputs.privateDnsZoneIds[endpoint.groupId]
    }
    dependsOn: [vaults, storage]
  }
]

module rbac 'modules/rbac.bicep' = {
  name: 'rbac'
  scope: resourceGroup
  params: {
    appPrincipalId: identity.outputs.principalId
    storageAccountName: storage.outputs.storageAccountName
    applicationInsightsName: monitoring.outputs.applicationInsightsName
    tokenVaultNames: vaults.outputs.tokenVaultNames
    credentialsVaultName: vaults.outputs.credentialsVaultName
  }
}

// Consumers read tokens at vault scope: every vault exists once this deployment has created it, so a grant never waits
// for the app's first refresh. A module of its own that nothing waits for: a bad principal id fails only itself.
module consumers 'modules/consumers.bicep' = {
  name: 'consumers'
  scope: resourceGroup
  params: {
    readers: tokenVaultReaders
  }
  dependsOn: [vaults]
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
    virtualNetworkSubnetId: vnetEnabled ? network!.outputs.appSubnetId : ''
    defaultClientEnabled: defaultClientEnabled
    credentialsVaultUri: vaults.outputs.credentialsVaultUri
    apiClientSecretName: apiClientSecretName
    apiSecretSecretName: apiSecretSecretName
    welkinClients: map(validatedClients, c => union(c, { secretName: tokenSecretNames[c.name] }))
    tokenVaultUris: vaults.outputs.tokenVaultUris
    tokenSecretName: tokenSecretName
    welkinApi: welkinApi
    welkinTenant: welkinTenant
    welkinBaseUrl: welkinBaseUrl
    welkinTokenPath: welkinTokenPath
    welkinTimeout: welkinTimeout
    welkinMaxTokenRequestsPer5Minutes: welkinMaxTokenRequestsPer5Minutes
    refreshSchedule: refreshSchedule
    refreshAfter: refreshAfter
    refreshBeforeExpiry: refreshBeforeExpiry
    minForceInterval: minForceInterval
  }
  // The app must not start (and cache failed Key Vault references or storage errors) before its roles exist, nor before
  // its storage and vaults are reachable through their private endpoints.
  dependsOn: [rbac, privateEndpoints]
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
    deploymentTime: deploymentTime
  }
}

// The dashboard; its link is in the outputs. Each client's ceiling is the budget in force for it, its own or the inherited one.
module workbook 'modules/workbook.bicep' = {
  name: 'workbook'
  scope: resourceGroup
  params: {
    location: location
    tags: tags
    workbookName: guid(subscription().id, environmentName, location, 'workbook')
    workspaceId: monitoring.outputs.workspaceId
    clientCeilings: concat(
      defaultClientEnabled ? [{ client: 'default', ceiling: welkinMaxTokenRequestsPer5Minutes }] : [],
      map(validatedClients, c => { client: c.name, ceiling: c.?maxTokenRequestsPer5Minutes ?? welkinMaxTokenRequestsPer5Minutes })
    )
    refreshBeforeExpiry: refreshBeforeExpiry
  }
}

module tokenEvents 'modules/eventgrid.bicep' = [
  for (vault, i) in (enableTokenEvents ? tokenVaults : []): {
    name: 'token-events-${vault.client}'
    scope: resourceGroup
    params: {
      location: location
      tags: tags
      topicName: i == 0 && defaultClientEnabled ? 'evgt-${resourceToken}' : 'evgt-${vault.vaultName}'
      tokenVaultId: vaults.outputs.tokenVaultIds[i]
    }
  }
]

// azd reads these into the environment; none of them is a secret.
output AZURE_LOCATION string = location
output AZURE_TENANT_ID string = tenant().tenantId
output AZURE_RESOURCE_GROUP string = resourceGroup.name
output AZURE_FUNCTION_APP_NAME string = functionApp.outputs.functionAppName
output AZURE_FUNCTION_APP_HOSTNAME string = functionApp.outputs.defaultHostName
output AZURE_USER_ASSIGNED_IDENTITY_CLIENT_ID string = identity.outputs.clientId
// The default client's vault and secret (empty without a default client); every client's are in TOKEN_VAULTS.
output TOKEN_VAULT_NAME string = defaultClientEnabled ? vaults.outputs.tokenVaultNames[0] : ''
output TOKEN_VAULT_URI string = defaultClientEnabled ? vaults.outputs.tokenVaultUris[0] : ''
output TOKEN_SECRET_NAME string = defaultClientEnabled ? tokenSecretName : ''
output TOKEN_SECRET_NAMES object = tokenSecretNames
output TOKEN_VAULTS object = toObject(
  range(0, length(tokenVaults)),
  i => tokenVaults[i].client,
  i => { vaultName: tokenVaults[i].vaultName, vaultUri: vaults.outputs.tokenVaultUris[i], secretName: tokenVaults[i].secretName }
)
output CREDENTIALS_VAULT_NAME string = vaults.outputs.credentialsVaultName
output APPLICATIONINSIGHTS_NAME string = monitoring.outputs.applicationInsightsName
output TOKEN_EVENTS_TOPIC_NAME string = enableTokenEvents && defaultClientEnabled ? tokenEvents[0].outputs.topicName : ''
output VNET_NAME string = vnetEnabled ? network!.outputs.vnetName : ''
// The function app's dashboard: docs/deploy.md, "Alerts".
output WORKBOOK_ID string = workbook.outputs.workbookId
output WORKBOOK_URL string = 'https://portal.azure.com/#@${tenant().tenantId}/resource${workbook.outputs.workbookId}/workbook'
