/**
 * The part of ltijs's Provider the installer pages use. ltijs ships no types; describing only what we
 * call keeps the rest of the code honest about which of its methods we rely on.
 */
export interface LtijsPlatform {
  platformUrl(): Promise<string>;
  platformClientId(): Promise<string>;
  platformName(name?: string): Promise<string>;
  platformId(): Promise<string>;
  platformActive(active?: boolean): Promise<boolean>;
  platformAuthEndpoint(): Promise<string>;
  platformAccessTokenEndpoint(): Promise<string>;
  platformAuthorizationServer(): Promise<string>;
  platformAuthConfig(): Promise<{ method: string; key: string }>;
  platformPublicKey(): Promise<string>;
}

export interface LtijsPlatformInput {
  url: string;
  name: string;
  clientId: string;
  authenticationEndpoint: string;
  accesstokenEndpoint: string;
  authorizationServer?: string;
  authConfig: { method: 'JWK_SET' | 'JWK_KEY' | 'RSA_KEY'; key: string };
}

export interface LtijsProvider {
  registerPlatform(platform: LtijsPlatformInput): Promise<LtijsPlatform>;
  getPlatform(url: string, clientId: string): Promise<LtijsPlatform | false>;
  getPlatformById(platformId: string): Promise<LtijsPlatform | false>;
  getAllPlatforms(): Promise<LtijsPlatform[]>;
  deletePlatform(url: string, clientId: string): Promise<true>;
}
