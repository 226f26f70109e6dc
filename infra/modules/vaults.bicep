// Two vaults, because a role assignment cannot target a secret that does not exist yet:
// - the token vault holds only the short-lived Welkin token (app writes, consumers read);
// - the credentials vault holds the Welkin API client key and secret (only the app reads).
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
