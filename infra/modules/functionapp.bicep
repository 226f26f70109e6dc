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

@description('Versionless Key Vault URIs of the Welkin credentials: { apiClient, secret }.')
param welkinCredentialUris object

@description('Named clients: { name, api?, tenant?, baseUrl?, tokenPath?, secretName }.')
param welkinClients array

@description('Versionless Key Vault URIs of each named client\'s credentials, in the order of welkinClients: { apiClient, secret }.')
param welkinClientCredentialUris array

param tokenVaultUri string
param tokenSecretName string
param welkinBaseUrl string
param welkinTokenPath string
param welkinTimeout string
param welkinMaxTokenRequestsPer5Minutes int
param refreshSchedule string
param refreshAfter string
param refreshBeforeExpiry string
param minForceInterval string

var staticAppSettings = [
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
  { name: 'Welkin__ApiClient', value: '@Microsoft.KeyVault(SecretUri=${welkinCredentialUris.apiClient})' }
  { name: 'Welkin__Secret', value: '@Microsoft.KeyVault(SecretUri=${welkinCredentialUris.secret})' }
  { name: 'Welkin__Timeout', value: welkinTimeout }
  { name: 'Welkin__MaxTokenRequestsPer5Minutes', value: string(welkinMaxTokenRequestsPer5Minutes) }
  { name: 'KeyVault__VaultUri', value: tokenVaultUri }
  { name: 'KeyVault__SecretName', value: tokenSecretName }
  { name: 'Refresh__Schedule', value: refreshSchedule }
  { name: 'Refresh__RefreshAfter', value: refreshAfter }
  { name: 'Refresh__RefreshBeforeExpiry', value: refreshBeforeExpiry }
  { name: 'Refresh__MinForceInterval', value: minForceInterval }
]

// Welkin__Clients__{name}__*: credentials as Key Vault references, the token secret always explicit, and every other
// value only when given (an absent setting inherits the default client's).
var clientAppSettings = flatten(map(range(0, length(welkinClients)), i => concat(
  [
    { name: 'Welkin__Clients__${welkinClients[i].name}__ApiClient', value: '@Microsoft.KeyVault(SecretUri=${welkinClientCredentialUris[i].apiClient})' }
    { name: 'Welkin__Clients__${welkinClients[i].name}__Secret', value: '@Microsoft.KeyVault(SecretUri=${welkinClientCredentialUris[i].secret})' }
    { name: 'Welkin__Clients__${welkinClients[i].name}__SecretName', value: welkinClients[i].secretName }
  ],
  filter(
    [
      { name: 'Welkin__Clients__${welkinClients[i].name}__Api', value: welkinClients[i].?api ?? '' }
      { name: 'Welkin__Clients__${welkinClients[i].name}__Tenant', value: welkinClients[i].?tenant ?? '' }
      { name: 'Welkin__Clients__${welkinClients[i].name}__BaseUrl', value: welkinClients[i].?baseUrl ?? '' }
      { name: 'Welkin__Clients__${welkinClients[i].name}__TokenPath', value: welkinClients[i].?tokenPath ?? '' }
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
  properties: {
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
  }
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
