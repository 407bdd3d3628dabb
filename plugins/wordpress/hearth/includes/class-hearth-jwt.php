<?php
/**
 * HS256 JSON Web Tokens with hash_hmac, so the plugin needs no Composer dependency.
 *
 * @package Hearth
 */

if ( ! defined( 'ABSPATH' ) ) {
	exit;
}

/**
 * Signs member tokens for Hearth.
 */
final class Hearth_JWT {

	/**
	 * Base64url without padding, as JWS requires.
	 *
	 * @param string $data Raw bytes.
	 * @return string
	 */
	public static function base64url( $data ) {
		return rtrim( strtr( base64_encode( $data ), '+/', '-_' ), '=' );
	}

	/**
	 * Signs claims with a shared secret.
	 *
	 * @param array  $claims JWT claims.
	 * @param string $secret Shared secret (HEARTH_SSO_SECRET on the Hearth server).
	 * @param string $kid    Key id, when Hearth knows the secret under a kid (HEARTH_SSO_SECRETS).
	 * @return string The compact JWT.
	 */
	public static function sign( array $claims, $secret, $kid = '' ) {
		$header = array(
			'alg' => 'HS256',
			'typ' => 'JWT',
		);
		if ( '' !== $kid ) {
			$header['kid'] = $kid;
		}
		$flags         = JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE;
		$signing_input = self::base64url( wp_json_encode( $header, $flags ) ) . '.' . self::base64url( wp_json_encode( $claims, $flags ) );
		$signature     = hash_hmac( 'sha256', $signing_input, $secret, true );
		return $signing_input . '.' . self::base64url( $signature );
	}
}
