// Two vaults, because a role assignment cannot target a secret that does not exist yet:
// - the token vault holds only the short-lived Welkin token (app writes, consumers read);
// - the credentials vault holds every Welkin API client's key and secret (only the app reads).
// Both use RBAC, soft delete and purge protection, and send AuditEvent logs to Log Analytics.

param location string
param tags object
param tokenVaultName string
param credentialsVaultName string
param workspaceId string
param apiClientSecretName string
param apiSecretSecretName string

@secure()
param welkinApiClient string

@secure()
param welkinSecret string

@description('Names of the clients besides the default one; each gets welkin-api-client-{name} and welkin-api-secret-{name}.')
param welkinClientNames array

@secure()
@description('{ "<name>": { "apiClient": "...", "secret": "..." } } for every name of welkinClientNames.')
param welkinClientCredentials object

var vaultProperties = {
  tenantId: tenant().tenantId
  sku: {
    family: 'A'
    name: 'standard'
  }
  enableRbacAuthorization: true
  enableSoftDelete: true
  softDeleteRetentionInDays: 90
  enablePurgeProtection: true
  enabledForDeployment: false
  enabledForDiskEncryption: false
  enabledForTemplateDeployment: false
  publicNetworkAccess: 'Enabled'
}

resource tokenVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: tokenVaultName
  location: location
  tags: tags
  properties: vaultProperties
}

resource credentialsVault 'Microsoft.KeyVault/vaults@2023-07-01' = {
  name: credentialsVaultName
  location: location
  tags: tags
  properties: vaultProperties
}

// Written through ARM (control plane), so the deployer needs no data-plane role on the vault.
resource apiClientSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: credentialsVault
  name: apiClientSecretName
  properties: {
    value: welkinApiClient
    contentType: 'text/plain'
  }
}

resource apiSecretSecret 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = {
  parent: credentialsVault
  name: apiSecretSecretName
  properties: {
    value: welkinSecret
    contentType: 'text/plain'
  }
}

// The default client's names without a suffix, so single-client deployments keep their secrets.
resource clientApiClientSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for name in welkinClientNames: {
    parent: credentialsVault
    name: '${apiClientSecretName}-${name}'
    properties: {
      value: contains(welkinClientCredentials, name) && contains(welkinClientCredentials[name], 'apiClient')
        ? welkinClientCredentials[name].apiClient
        : fail('welkinClientCredentials: client ${name} has no apiClient; pass { "${name}": { "apiClient": "...", "secret": "..." } }')
      contentType: 'text/plain'
    }
  }
]

resource clientSecretSecrets 'Microsoft.KeyVault/vaults/secrets@2023-07-01' = [
  for name in welkinClientNames: {
    parent: credentialsVault
    name: '${apiSecretSecretName}-${name}'
    properties: {
      value: contains(welkinClientCredentials, name) && contains(welkinClientCredentials[name], 'secret')
        ? welkinClientCredentials[name].secret
        : fail('welkinClientCredentials: client ${name} has no secret; pass { "${name}": { "apiClient": "...", "secret": "..." } }')
      contentType: 'text/plain'
    }
  }
]

resource tokenVaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: tokenVault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

resource credentialsVaultDiagnostics 'Microsoft.Insights/diagnosticSettings@2021-05-01-preview' = {
  name: 'to-log-analytics'
  scope: credentialsVault
  properties: {
    workspaceId: workspaceId
    logs: [
      {
        category: 'AuditEvent'
        enabled: true
      }
    ]
  }
}

output tokenVaultId string = tokenVault.id
output tokenVaultName string = tokenVault.name
output tokenVaultUri string = tokenVault.properties.vaultUri
output credentialsVaultId string = credentialsVault.id
output credentialsVaultName string = credentialsVault.name
// Versionless URIs: a Key Vault reference without a version follows rotation after a restart.
output welkinCredentialUris object = {
  apiClient: apiClientSecret.properties.secretUri
  secret: apiSecretSecret.properties.secretUri
}
// Same order as welkinClientNames.
output welkinClientCredentialUris array = [
  for (name, i) in welkinClientNames: {
    apiClient: clientApiClientSecrets[i].properties.secretUri
    secret: clientSecretSecrets[i].properties.secretUri
  }
]
