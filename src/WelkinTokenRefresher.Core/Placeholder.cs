namespace WelkinTokenRefresher.Core;
