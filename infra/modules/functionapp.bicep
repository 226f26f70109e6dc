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
      appSettings: [
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
