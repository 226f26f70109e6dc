// Flex Consumption plan and the function app. Everything the app reads comes from app settings
// (the configuration table of issue 2); secrets arrive as Key Vault references resolved with the
// user-assigned identity, and storage/telemetry use the same identity instead of keys.

param location string
param tags object
param planName string
param functionAppName string
param identityId string
param identityClientId string
param deploymentContainerUrl string
param blobEndpoint string
param tableEndpoint string
param applicationInsightsConnectionString string
param workspaceId string
param maximumInstanceCount int
param instanceMemoryMB int

@description('The app subnet for outbound traffic (virtual network integration); empty: none.')
param virtualNetworkSubnetId string

@description('Whether the Welkin section is a client (default); false: named clients only.')
param defaultClientEnabled bool

@description('URI of the credentials vault; every client\'s Key Vault references point into it.')
param credentialsVaultUri string

param apiClientSecretName string
param apiSecretSecretName string

@description('Named clients: { name, api?, tenant?, baseUrl?, tokenPath?, timeout?, maxTokenRequestsPer5Minutes?, secretName }.')
param welkinClients array

@description('Token vault URIs, one per client: the default client\'s first when it exists, then the named clients\' in order.')
param tokenVaultUris array

param tokenSecretName string

@description('Empty: not written (the app\'s default, auth-token).')
param welkinApi string

@description('Empty: not written.')
param welkinTenant string

param welkinBaseUrl string
param welkinTokenPath string
param welkinTimeout string
param welkinMaxTokenRequestsPer5Minutes int
param refreshSchedule string
param refreshAfter string
param refreshBeforeExpiry string
param minForceInterval string

// Versionless Key Vault references (a rotated secret is picked up after a restart), built from the vault's URI rather
// than from secret resources: this deployment writes a credential only when it is given one.
var namedVaultOffset = defaultClientEnabled ? 1 : 0

// Settings only when given: an unset value keeps the app's default, or for a named client, inherits the Welkin one.
var welkinApiSettings = filter(
  [
    { name: 'Welkin__Api', value: welkinApi }
    { name: 'Welkin__Tenant', value: welkinTenant }
  ],
  setting => !empty(setting.value)
)

var staticAppSettings = concat(
  [
    // Blob (host lease, timer state, deployment) and table (diagnostic events) only: the app has no queue
    // trigger and its identity no queue role.
    { name: 'AzureWebJobsStorage__blobServiceUri', value: blobEndpoint }
    { name: 'AzureWebJobsStorage__tableServiceUri', value: tableEndpoint }
    { name: 'AzureWebJobsStorage__credential', value: 'managedidentity' }
    { name: 'AzureWebJobsStorage__clientId', value: identityClientId }
    // DefaultAzureCredential picks the user-assigned identity by this id.
    { name: 'AZURE_CLIENT_ID', value: identityClientId }
    { name: 'APPLICATIONINSIGHTS_CONNECTION_STRING', value: applicationInsightsConnectionString }
    { name: 'APPLICATIONINSIGHTS_AUTHENTICATION_STRING', value: 'ClientId=${identityClientId};Authorization=AAD' }
    { name: 'Welkin__BaseUrl', value: welkinBaseUrl }
    { name: 'Welkin__TokenPath', value: welkinTokenPath }
  ],
  welkinApiSettings,
  // Without them, and with named clients, the app has no default client.
  defaultClientEnabled
    ? [
        { name: 'Welkin__ApiClient', value: '@Microsoft.KeyVault(SecretUri=${credentialsVaultUri}secrets/${apiClientSecretName})' }
        { name: 'Welkin__Secret', value: '@Microsoft.KeyVault(SecretUri=${credentialsVaultUri}secrets/${apiSecretSecretName})' }
      ]
    : [],
  [
    { name: 'Welkin__Timeout', value: welkinTimeout }
    { name: 'Welkin__MaxTokenRequestsPer5Minutes', value: string(welkinMaxTokenRequestsPer5Minutes) }
  ],
  defaultClientEnabled
    ? [
        { name: 'KeyVault__VaultUri', value: tokenVaultUris[0] }
        { name: 'KeyVault__SecretName', value: tokenSecretName }
      ]
    : [],
  [
    { name: 'Refresh__Schedule', value: refreshSchedule }
    { name: 'Refresh__RefreshAfter', value: refreshAfter }
    { name: 'Refresh__RefreshBeforeExpiry', value: refreshBeforeExpiry }
    { name: 'Refresh__MinForceInterval', value: minForceInterval }
  ]
)

// Welkin__Clients__{name}__*: credentials as Key Vault references (never inherited), the token vault and secret always
// explicit, and every other value only when given (an absent setting inherits the Welkin one).
var clientAppSettings = flatten(map(range(0, length(welkinClients)), i => concat(
  [
    { name: 'Welkin__Clients__${welkinClients[i].name}__ApiClient', value: '@Microsoft.KeyVault(SecretUri=${credentialsVaultUri}secrets/${apiClientSecretName}-${welkinClients[i].name})' }
    { name: 'Welkin__Clients__${welkinClients[i].name}__Secret', value: '@Microsoft.KeyVault(SecretUri=${credentialsVaultUri}secrets/${apiSecretSecretName}-${welkinClients[i].name})' }
    { name: 'Welkin__Clients__${welkinClients[i].name}__VaultUri', value: tokenVaultUris[i + namedVaultOffset] }
    { name: 'Welkin__Clients__${welkinClients[i].name}__SecretName', value: welkinClients[i].secretName }
  ],
  filter(
    [
      { name: 'Welkin__Clients__${welkinClients[i].name}__Api', value: welkinClients[i].?api ?? '' }
      { name: 'Welkin__Clients__${welkinClients[i].name}__Tenant', value: welkinClients[i].?tenant ?? '' }
      { name: 'Welkin__Clients__${welkinClients[i].name}__BaseUrl', value: welkinClients[i].?baseUrl ?? '' }
      { name: 'Welkin__Clients__${welkinClients[i].name}__TokenPath', value: welkinClients[i].?tokenPath ?? '' }
      { name: 'Welkin__Clients__${welkinClients[i].name}__Timeout', value: welkinClients[i].?timeout ?? '' }
      { name: 'Welkin__Clients__${welkinClients[i].name}__MaxTokenRequestsPer5Minutes', value: string(welkinClients[i].?maxTokenRequestsPer5Minutes ?? '') }
    ],
    setting => !empty(setting.value)
  )
)))

resource plan 'Microsoft.Web/serverfarms@2024-04-01' = {
  name: planName
  location: location
  tags: tags
  kind: 'functionapp'
  sku: {
    name: 'FC1'
    tier: 'FlexConsumption'
  }
  properties: {
    reserved: true
  }
}

resource functionApp 'Microsoft.Web/sites@2024-04-01' = {
  name: functionAppName
  location: location
  // azd finds the deployment target of the 'api' service by this tag.
  tags: union(tags, { 'azd-service-name': 'api' })
  kind: 'functionapp,linux'
  identity: {
    type: 'UserAssigned'
    userAssignedIdentities: {
      '${identityId}': {}
    }
  }
  properties: union(
    {
      serverFarmId: plan.id
      httpsOnly: true
      clientCertEnabled: false
      // Key Vault references are resolved with the user-assigned identity (there is no system identity).
      keyVaultReferenceIdentity: identityId
      functionAppConfig: {
        deployment: {
          storage: {
            type: 'blobContainer'
            value: deploymentContainerUrl
            authentication: {
              type: 'UserAssignedIdentity'
              userAssignedIdentityResourceId: identityId
            }
          }
        }
        scaleAndConcurrency: {
          maximumInstanceCount: maximumInstanceCount
          instanceMemoryMB: instanceMemoryMB
        }
        runtime: {
          name: 'dotnet-isolated'
          version: '10.0'
        }
      }
      // Flex Consumption rejects FTP, worker, runtime and always-on site properties (ftpsState among them, in some
      // regions); FTP is off through the basic-publishing policies below and the runtime comes from functionAppConfig.
      siteConfig: {
        minTlsVersion: '1.2'
        scmMinTlsVersion: '1.2'
        http20Enabled: true
        appSettings: concat(staticAppSettings, clientAppSettings)
      }
    },
    // Outbound traffic through the app subnet (private networking); without it the property is left out altogether.
    empty(virtualNetworkSubnetId) ? {} : { virtualNetworkSubnetId: virtualNetworkSubnetId }
  )
}

// No basic-auth publishing: azd deploys with an Entra token, FTP is not used at all.
resource ftpPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'ftp'
  properties: {
    allow: false
  }
}

resource scmPolicy 'Microsoft.Web/sites/basicPublishingCredentialsPolicies@2024-04-01' = {
  parent: functionApp
  name: 'scm'
  properties: {
    allow: false
  }
}

resource functionAppDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: functionApp
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'FunctionAppLogs'
        enabled: true
      }
    ]
  }
}

output functionAppId string = functionApp.id
output functionAppName string = functionApp.name
output defaultHostName string = functionApp.properties.defaultHostName
